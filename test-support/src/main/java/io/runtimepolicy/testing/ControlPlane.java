package io.runtimepolicy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Where hack/control-plane.sh installed the pinned binaries. Failsafe passes the pinned versions
 * and directory as system properties (root pom.xml), so tests and script cannot disagree.
 */
public final class ControlPlane {

  private ControlPlane() {}

  public static String kubeVersion() {
    return required("kube.version", "KUBE_API_TEST_API_SERVER_VERSION");
  }

  /** kube-api-test settings for the pinned, already installed binaries: never downloads. */
  public static io.fabric8.kubeapitest.KubeAPIServerConfig apiServerConfig(
      java.util.List<String> flags) {
    var builder =
        io.fabric8.kubeapitest.KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withOfflineMode(true)
            .withTestDir(baseDir().toString())
            .withApiServerVersion(kubeVersion());
    if (!flags.isEmpty()) {
      builder.withApiServerFlags(flags);
    }
    return builder.build();
  }

  public static Path baseDir() {
    String dir = System.getProperty("kube.api.test.dir");
    if (dir == null || dir.isBlank()) {
      dir =
          System.getenv()
              .getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
    }
    return Path.of(dir);
  }

  public static Path binDir() {
    return baseDir().resolve("k8s").resolve(kubeVersion() + "-linux-" + arch());
  }

  public static Path kubectl() {
    return executable(binDir().resolve("kubectl"));
  }

  public static Path controllerManager() {
    return executable(binDir().resolve("kube-controller-manager"));
  }

  public static Path scheduler() {
    return executable(binDir().resolve("kube-scheduler"));
  }

  /**
   * The pinned kwok: system property kwok.version, else the version test-support was built with.
   */
  public static String kwokVersion() {
    return pinned("kwok.version", "KWOK_VERSION");
  }

  private static String pinned(String property, String envVar) {
    String version = System.getProperty(property, System.getenv(envVar));
    if (version != null && !version.isBlank()) {
      return version;
    }
    try (InputStream in = ControlPlane.class.getResourceAsStream("control-plane.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty(property);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path kwok() {
    return executable(kwokDir().resolve("kwok"));
  }

  /** The kwok stage configs hack/control-plane.sh copied from the kwok module. */
  public static List<Path> kwokStages() {
    try (Stream<Path> files = Files.list(kwokDir().resolve("stages"))) {
      List<Path> stages = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      if (stages.isEmpty()) {
        throw new IllegalStateException(
            "no kwok stages in " + kwokDir() + ": run hack/control-plane.sh");
      }
      return stages;
    } catch (IOException e) {
      throw new IllegalStateException(
          kwokDir() + "/stages is missing: run hack/control-plane.sh", e);
    }
  }

  /** The pinned VPA: system property vpa.version, else the version test-support was built with. */
  public static String vpaVersion() {
    return pinned("vpa.version", "VPA_VERSION");
  }

  public static Path vpaAdmissionController() {
    return executable(vpaDir().resolve("vpa-admission-controller"));
  }

  /**
   * The VerticalPodAutoscaler CRDs of the pinned VPA module, as hack/control-plane.sh copied them.
   */
  public static Path vpaCrds() {
    Path crds = vpaDir().resolve("crds").resolve("vpa-v1-crd-gen.yaml");
    if (!Files.isRegularFile(crds)) {
      throw new IllegalStateException(crds + " is missing: run hack/control-plane.sh");
    }
    return crds;
  }

  private static Path vpaDir() {
    return baseDir().resolve("vpa").resolve(vpaVersion());
  }

  private static Path kwokDir() {
    return baseDir().resolve("kwok").resolve(kwokVersion());
  }

  public static Path helm() {
    return executable(
        baseDir()
            .resolve("helm")
            .resolve(required("helm.version", "HELM_VERSION"))
            .resolve("helm"));
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

  private static String required(String property, String envVar) {
    String value = System.getProperty(property, System.getenv(envVar));
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + property
              + " (or "
              + envVar
              + ") is not set: the root pom passes it to failsafe, hack/control-plane.sh --print-env prints it");
    }
    return value;
  }
}
