package io.runtimepolicy.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs helm and kubectl as separate processes, the way a user types them, against the test's API
 * server only: a kubeconfig written from the client's config, and HOME and the XDG directories
 * inside target/ so neither tool reads or writes the user's home.
 */
final class Cli {

  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return String.join(" ", command) + " -> exit " + exitCode + "\n" + stdout + stderr;
    }
  }

  private static final long TIMEOUT_SECONDS = 120;

  private final Path work;
  private final Path kubeconfig;

  private Cli(Path work, Path kubeconfig) {
    this.work = work;
    this.kubeconfig = kubeconfig;
  }

  static Cli against(KubernetesClient client, String name) {
    Path work = ProjectFiles.scratch(name);
    Path kubeconfig = work.resolve("kubeconfig");
    write(kubeconfig, kubeconfigYaml(client.getConfiguration()));
    return new Cli(work, kubeconfig);
  }

  /** For helm commands that need no cluster (template, lint). */
  static Cli withoutCluster(String name) {
    Path work = ProjectFiles.scratch(name);
    return new Cli(work, work.resolve("no-kubeconfig"));
  }

  Result helm(String... args) {
    return run(null, binary("helm"), args);
  }

  Result kubectl(String... args) {
    return run(null, binary("kubectl"), args);
  }

  Result kubectlWithInput(String stdin, String... args) {
    return run(stdin, binary("kubectl"), args);
  }

  private Result run(String stdin, Path binary, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ProjectFiles.root().toFile());
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("HOME", work.resolve("home").toString());
    env.put("XDG_CACHE_HOME", work.resolve("home/.cache").toString());
    env.put("XDG_CONFIG_HOME", work.resolve("home/.config").toString());
    env.put("XDG_DATA_HOME", work.resolve("home/.local/share").toString());
    try {
      Path out = Files.createTempFile(work, "out", ".txt");
      Path err = Files.createTempFile(work, "err", ".txt");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out");
      }
      return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** helm and kubectl from the pinned control plane that failsafe names (root pom.xml). */
  static Path binary(String name) {
    Path dir =
        Path.of(
            System.getProperty(
                "kube.api.test.dir", System.getProperty("user.home") + "/.kubeapitest"));
    String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "arm64" : "amd64";
    return "helm".equals(name)
        ? dir.resolve("helm").resolve(System.getProperty("helm.version", "v3.22.0")).resolve("helm")
        : dir.resolve("k8s")
            .resolve(System.getProperty("kube.version", "1.35.4") + "-linux-" + arch)
            .resolve(name);
  }

  static String kubeconfigYaml(Config config) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: kube-api-test",
        "  cluster:",
        "    server: " + config.getMasterUrl(),
        "    certificate-authority-data: " + pem(config.getCaCertData(), config.getCaCertFile()),
        "users:",
        "- name: kube-api-test",
        "  user:",
        "    client-certificate-data: "
            + pem(config.getClientCertData(), config.getClientCertFile()),
        "    client-key-data: " + pem(config.getClientKeyData(), config.getClientKeyFile()),
        "contexts:",
        "- name: kube-api-test",
        "  context: {cluster: kube-api-test, user: kube-api-test, namespace: default}",
        "current-context: kube-api-test",
        "");
  }

  /** The base64 data fabric8 holds, or the file it points at, encoded. */
  private static String pem(String data, String file) {
    if (data != null && !data.isBlank()) {
      return data;
    }
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
