package io.runtimepolicy.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where hack/control-plane.sh installed the pinned binaries. Failsafe passes the pinned versions
 * and directory as system properties (root pom.xml), so tests and script cannot disagree.
 */
public final class ControlPlane {

  private ControlPlane() {}

  public static String kubeVersion() {
    return required("kube.version");
  }

  public static Path baseDir() {
    String dir = System.getProperty("kube.api.test.dir");
    if (dir == null || dir.isBlank()) {
      dir = System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
    }
    return Path.of(dir);
  }

  public static Path binDir() {
    return baseDir().resolve("k8s").resolve(kubeVersion() + "-linux-" + arch());
  }

  public static Path kubectl() {
    return executable(binDir().resolve("kubectl"));
  }

  public static Path helm() {
    return executable(baseDir().resolve("helm").resolve(required("helm.version")).resolve("helm"));
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
  }

  private static Path executable(Path path) {
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(path + " is missing: run hack/control-plane.sh");
    }
    return path;
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + property + " is not set (the root pom passes it to failsafe)");
    }
    return value;
  }
}
