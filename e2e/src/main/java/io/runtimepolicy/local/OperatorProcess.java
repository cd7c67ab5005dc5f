package io.runtimepolicy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator as its own OS process, started from the built artifact: on the jlink runtime
 * (operator/target/jre) when it was built, else on the current JDK.
 */
public final class OperatorProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int healthPort;

  private OperatorProcess(Process process, Path log, int healthPort) {
    this.process = process;
    this.log = log;
    this.healthPort = healthPort;
  }

  /**
   * Starts the operator with {@code env} (RUNTIMEPOLICY_* and KUBECONFIG) and waits for /readyz.
   */
  public static OperatorProcess start(
      Path projectRoot, Map<String, String> env, Path log, Duration readyWithin) {
    return start(java(projectRoot), projectRoot, env, log, readyWithin);
  }

  /** The same on the Java runtime {@code java} (the bench compares runtimes). */
  public static OperatorProcess start(
      Path java, Path projectRoot, Map<String, String> env, Path log, Duration readyWithin) {
    int healthPort =
        Integer.parseInt(
            env.getOrDefault("RUNTIMEPOLICY_HEALTH_PORT", Integer.toString(freePort())));
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    Path jar = projectRoot.resolve("operator/target/runtime-policy-operator.jar");
    classArchive(java, projectRoot, jar, env.getOrDefault("JAVA_TOOL_OPTIONS", ""))
        .ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("RUNTIMEPOLICY_HEALTH_PORT", Integer.toString(healthPort));
    try {
      OperatorProcess started = new OperatorProcess(builder.start(), log, healthPort);
      started.awaitReady(readyWithin);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The operator's class-data archive (hack/jlink.sh), as the image's entrypoint passes it: only on
   * the jlink runtime it was dumped for, only when it is newer than the jar (the JVM would ignore
   * it), and not when the options choose their own sharing (the bench's runtime candidates).
   */
  static Optional<Path> classArchive(
      Path java, Path projectRoot, Path jar, String javaToolOptions) {
    Path archive = projectRoot.resolve("operator/target/runtime-policy-operator.jsa");
    boolean ownSharing =
        javaToolOptions.contains("-Xshare")
            || javaToolOptions.contains("SharedArchiveFile")
            || javaToolOptions.contains("DumpLoadedClassList")
            || javaToolOptions.contains("ArchiveClassesAtExit");
    try {
      return !ownSharing
              && java.toAbsolutePath()
                  .normalize()
                  .equals(jlinked(projectRoot).toAbsolutePath().normalize())
              && Files.isRegularFile(archive)
              && Files.isRegularFile(jar)
              && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0
          ? Optional.of(archive)
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The jlink runtime when present: the e2e journey then runs on what the image ships. */
  public static Path java(Path projectRoot) {
    Path jlinked = jlinked(projectRoot);
    return Files.isExecutable(jlinked)
        ? jlinked
        : Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Where hack/jlink.sh links the runtime. */
  private static Path jlinked(Path projectRoot) {
    return projectRoot.resolve("operator/target/jre/bin/java");
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public int healthPort() {
    return healthPort;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook runs, as when a node dies or the OOM killer strikes. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * SIGTERM, as the kubelet sends at pod deletion, and the time until the process exited; fails
   * (after a SIGKILL) when it did not exit within {@code gracePeriod}.
   */
  public Duration terminate(Duration gracePeriod) throws InterruptedException {
    Instant sent = Instant.now();
    process.destroy();
    if (!process.waitFor(gracePeriod.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      kill();
      throw new IllegalStateException("the operator did not exit within " + gracePeriod);
    }
    return Duration.between(sent, Instant.now());
  }

  /** SIGTERM, then SIGKILL if it has not stopped within 20 seconds. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      kill();
    }
  }

  private void awaitReady(Duration within) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz"))
            .timeout(Duration.ofSeconds(1))
            .build();
    Instant deadline = Instant.now().plus(within);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      pause();
    }
    process.destroyForcibly();
    throw new IllegalStateException("the operator was not ready within " + within + ":\n" + log());
  }

  /** Polling interval for readiness; fine enough for make bench to time startup with it. */
  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
