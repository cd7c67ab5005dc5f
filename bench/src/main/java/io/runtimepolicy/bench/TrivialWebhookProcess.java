package io.runtimepolicy.bench;

import io.runtimepolicy.local.OperatorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

/** TrivialWebhook in its own JVM: the operator's Java runtime and JVM options, our classpath. */
final class TrivialWebhookProcess {

  private TrivialWebhookProcess() {}

  /**
   * Starts it with the bench cluster's serving certificate (the one the operator serves), registers
   * its stop with {@code cleanup}, waits until it accepts connections.
   */
  static int start(BenchCluster cluster, String javaOptions, Path log, Cleanup cleanup) {
    return start(
        cluster.root(),
        javaOptions,
        cluster.certificate().certFile(),
        cluster.certificate().keyFile(),
        log,
        cleanup);
  }

  private static int start(
      Path root, String javaOptions, Path certFile, Path keyFile, Path log, Cleanup cleanup) {
    int port = OperatorProcess.freePort();
    String classpath =
        root.resolve("bench/target/classes") + ":" + root.resolve("bench/target/lib") + "/*";
    ProcessBuilder builder =
        new ProcessBuilder(
                OperatorProcess.java(root).toString(),
                "-cp",
                classpath,
                TrivialWebhook.class.getName(),
                Integer.toString(port),
                certFile.toString(),
                keyFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("JAVA_TOOL_OPTIONS", javaOptions);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cleanup.add(
        "trivial webhook",
        () -> {
          process.destroy();
          if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
          }
        });
    Poll.until(
        "the trivial webhook to listen",
        Duration.ofSeconds(30),
        Duration.ofMillis(50),
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(
                "the trivial webhook exited with " + process.exitValue() + "; see " + log);
          }
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
          } catch (IOException notYet) {
            return false;
          }
        });
    return port;
  }
}
