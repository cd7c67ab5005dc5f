package io.runtimepolicy.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the pinned kubectl and helm as separate processes, the way a user types them, against one
 * test API server only: its own kubeconfig file, and HOME and the XDG directories in a scratch
 * directory, so neither tool reads or writes the real user's home or ~/.kube/config.
 */
public final class Cli {

  /** What a command printed, how it ended, and how long it took. */
  public record Result(
      List<String> command, int exitCode, String stdout, String stderr, Duration took) {
    public boolean ok() {
      return exitCode == 0;
    }

    public Result assertSuccess() {
      if (!ok()) {
        throw new AssertionError(this);
      }
      return this;
    }

    @Override
    public String toString() {
      return String.join(" ", command)
          + " -> exit "
          + exitCode
          + "\nstdout:\n"
          + stdout
          + "\nstderr:\n"
          + stderr;
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final Path work;
  private final Path kubeconfig;

  private Cli(Path work, Path kubeconfig) {
    this.work = work;
    this.kubeconfig = kubeconfig;
  }

  /** Against the server a kubeconfig describes (for example kube-api-test's admin kubeconfig). */
  public static Cli against(String kubeConfigYaml) {
    Path work = scratch();
    return new Cli(work, privateFile(work.resolve("kubeconfig"), kubeConfigYaml));
  }

  /** Against the server and identity of a fabric8 client. */
  public static Cli against(KubernetesClient client) {
    return against(kubeconfigYaml(client.getConfiguration()));
  }

  /** For commands that need no cluster (helm template, helm lint). */
  public static Cli withoutCluster() {
    Path work = scratch();
    return new Cli(work, work.resolve("no-kubeconfig"));
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Result kubectl(String... args) {
    return run(null, ControlPlane.kubectl(), args);
  }

  public Result kubectlWithInput(String stdin, String... args) {
    return run(stdin, ControlPlane.kubectl(), args);
  }

  public Result helm(String... args) {
    return run(null, ControlPlane.helm(), args);
  }

  private Result run(String stdin, Path binary, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("HOME", work.resolve("home").toString());
    env.put("XDG_CACHE_HOME", work.resolve("home/.cache").toString());
    env.put("XDG_CONFIG_HOME", work.resolve("home/.config").toString());
    env.put("XDG_DATA_HOME", work.resolve("home/.local/share").toString());
    Instant started = Instant.now();
    try {
      Path out = Files.createTempFile(work, "out", ".txt");
      Path err = Files.createTempFile(work, "err", ".txt");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT);
      }
      return new Result(
          command,
          process.exitValue(),
          Files.readString(out),
          Files.readString(err),
          Duration.between(started, Instant.now()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A kubeconfig with the client's server, CA and credentials (certificates or token). */
  static String kubeconfigYaml(Config config) {
    String user =
        config.getOauthToken() != null
            ? "token: " + config.getOauthToken()
            : "client-certificate-data: "
                + base64(config.getClientCertData(), config.getClientCertFile())
                + "\n"
                + "    client-key-data: "
                + base64(config.getClientKeyData(), config.getClientKeyFile());
    return kubeconfigYaml(config, user, "default");
  }

  /** One cluster (the config's server and CA), one user with the given credential lines. */
  static String kubeconfigYaml(Config config, String credentials, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: test
          user:
            %s
        contexts:
        - name: test
          context: {cluster: test, user: test, namespace: %s}
        current-context: test
        """
        .formatted(
            config.getMasterUrl(),
            base64(config.getCaCertData(), config.getCaCertFile()),
            credentials,
            namespace);
  }

  /** The base64 data fabric8 holds, or the file it points at, encoded. */
  static String base64(String data, String file) {
    if (data != null && !data.isBlank()) {
      return data;
    }
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path scratch() {
    try {
      Path dir = Files.createTempDirectory("cli");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path privateFile(Path file, String content) {
    try {
      Files.writeString(file, content);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
