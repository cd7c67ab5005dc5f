package io.runtimepolicy.bench;

import io.runtimepolicy.local.OperatorProcess;
import io.runtimepolicy.testing.PromText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the built operator as its own process (OperatorProcess: the jlink runtime when built),
 * configured as the chart configures it, with the JVM options of the chart, a short resync and its
 * webhook on a free loopback port.
 */
final class OperatorLauncher {

  static final String OPERATOR_NAMESPACE = "runtime-policy";

  /** A running operator and how long it took from process start to /readyz answering 200. */
  record Running(String label, OperatorProcess process, Duration startToReady, int webhookPort) {}

  private final BenchCluster cluster;
  private final BenchOptions options;
  private final Cleanup cleanup;
  private final Path logs;

  OperatorLauncher(BenchCluster cluster, BenchOptions options, Cleanup cleanup) {
    this.cluster = cluster;
    this.options = options;
    this.cleanup = cleanup;
    this.logs = cluster.root().resolve("bench/target/bench-logs");
  }

  /** {@code watchNamespaces} empty: every namespace, the chart's default. */
  Running start(String label, List<String> watchNamespaces) {
    int webhookPort = OperatorProcess.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", cluster.kubeconfig().toString());
    env.put("JAVA_TOOL_OPTIONS", options.operatorJavaOptions());
    env.put("RUNTIMEPOLICY_OPERATOR_NAMESPACE", OPERATOR_NAMESPACE);
    if (!watchNamespaces.isEmpty()) {
      env.put("RUNTIMEPOLICY_WATCH_NAMESPACES", String.join(",", watchNamespaces));
    }
    env.put("RUNTIMEPOLICY_RESYNC_PERIOD", options.resync().toSeconds() + "s");
    env.put("RUNTIMEPOLICY_WEBHOOK_PORT", Integer.toString(webhookPort));
    env.put("RUNTIMEPOLICY_WEBHOOK_CERT_FILE", cluster.certificate().certFile().toString());
    env.put("RUNTIMEPOLICY_WEBHOOK_KEY_FILE", cluster.certificate().keyFile().toString());
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long before = System.nanoTime();
    OperatorProcess process =
        OperatorProcess.start(
            cluster.root(), env, logs.resolve(label + ".log"), Duration.ofSeconds(120));
    Duration startToReady = Duration.ofNanos(System.nanoTime() - before);
    cleanup.add(label, process::close);
    return new Running(label, process, startToReady, webhookPort);
  }

  /** SIGTERM, and wait for the process to end. */
  void stop(Running running) {
    cleanup.runNow(running.label());
  }

  PromText metrics(Running running) {
    return PromText.scrape(running.process().healthPort());
  }

  Path logs() {
    return logs;
  }

  /** Lines the operator logged at ERROR level (logback's pattern puts the level after the time). */
  long errorLines(Running running) {
    try (var lines = Files.lines(logs.resolve(running.label() + ".log"))) {
      return lines.filter(line -> line.contains(" ERROR ")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
