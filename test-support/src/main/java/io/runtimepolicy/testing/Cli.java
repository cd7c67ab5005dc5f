package io.runtimepolicy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs kubectl or helm as a user would, against one kubeconfig file, with HOME pointed at a
 * scratch directory so nothing is written to the real user's home or ~/.kube/config.
 */
public final class Cli {

  /** What a command printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError("exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }
  }

  private final Path executable;
  private final Path kubeconfig;
  private final Path home;
  private final Duration timeout;

  private Cli(Path executable, Path kubeconfig, Path home, Duration timeout) {
    this.executable = executable;
    this.kubeconfig = kubeconfig;
    this.home = home;
    this.timeout = timeout;
  }

  public static Cli kubectl(String kubeConfigYaml) {
    return new Cli(ControlPlane.kubectl(), writeKubeconfig(kubeConfigYaml), scratchHome(), Duration.ofSeconds(60));
  }

  public static Cli helm(String kubeConfigYaml) {
    return new Cli(ControlPlane.helm(), writeKubeconfig(kubeConfigYaml), scratchHome(), Duration.ofSeconds(120));
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs with {@code stdin} (may be null) fed to the process. */
  public Result runWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("HOME", home.toString());
    env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    env.put("XDG_DATA_HOME", home.resolve("data").toString());
    try {
      Path out = Files.createTempFile(home, "out", ".txt");
      Path err = Files.createTempFile(home, "err", ".txt");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path writeKubeconfig(String yaml) {
    try {
      Path file = Files.createTempFile("kubeconfig", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path scratchHome() {
    try {
      return Files.createTempDirectory("cli-home");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
