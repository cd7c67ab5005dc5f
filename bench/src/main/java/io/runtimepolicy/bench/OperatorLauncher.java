package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.runtimepolicy.local.OperatorProcess;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.WebhookRegistrations;
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
 * webhook on a free loopback port, registered with the API server from the chart's own definition
 * (WebhookRegistrations, by loopback URL): without it the operator tunes nothing. One registration
 * at a time (the chart's has one name): the newest process's.
 */
final class OperatorLauncher {

  static final String OPERATOR_NAMESPACE = "runtime-policy";

  /** Where processes that watch every namespace are probed for their registration. */
  static final String PROBE_NAMESPACE = "bench-probe";

  /**
   * A running operator and how long it took from process start to /readyz answering 200 (before its
   * webhook was registered).
   */
  record Running(
      String label,
      OperatorProcess process,
      Duration startToReady,
      int webhookPort,
      List<String> watchNamespaces) {

    String probeNamespace() {
      return watchNamespaces.isEmpty() ? PROBE_NAMESPACE : watchNamespaces.get(0);
    }
  }

  private final BenchCluster cluster;
  private final BenchOptions options;
  private final Cleanup cleanup;
  private final Path logs;
  private MutatingWebhookConfiguration registered;

  OperatorLauncher(BenchCluster cluster, BenchOptions options, Cleanup cleanup) {
    this.cluster = cluster;
    this.options = options;
    this.cleanup = cleanup;
    this.logs = cluster.root().resolve("bench/target/bench-logs");
  }

  /** {@code watchNamespaces} empty: every namespace, the chart's default. */
  Running start(String label, List<String> watchNamespaces) {
    return startRegistered(label, watchNamespaces, Map.of());
  }

  /**
   * As {@link #start}, with {@code resync} (the chart's period) instead of the bench's short one:
   * the scale phase's 1,000 policies resynced every 20 s would reconcile 50 times a second, and no
   * measurement there would ever see the operator quiet.
   */
  Running start(String label, List<String> watchNamespaces, Duration resync) {
    return startRegistered(
        label, watchNamespaces, Map.of("RUNTIMEPOLICY_RESYNC_PERIOD", resync.toSeconds() + "s"));
  }

  /**
   * As {@link #start}, for a phase that weighs the heap per object, so that what a full GC leaves
   * is only what the operator holds. Softly reachable objects are cleared at every GC: the JVM
   * frees them before it would run out (4 MB of per-thread char[] buffers once came and went
   * between two batches). And the full GC compacts all of the heap: Serial leaves up to 5 % of it
   * as dead wood, filled with int[] (2 MB of them once swung one batch's figure by 4 KB a
   * workload).
   */
  Running startWeighed(String label, List<String> watchNamespaces) {
    Running running =
        launch(
            label,
            watchNamespaces,
            Map.of(),
            OperatorProcess.java(cluster.root()),
            options.operatorJavaOptions()
                + " -XX:SoftRefLRUPolicyMSPerMB=0 -XX:MarkSweepDeadRatio=0");
    register(running);
    return running;
  }

  private Running startRegistered(
      String label, List<String> watchNamespaces, Map<String, String> extra) {
    Running running = launch(label, watchNamespaces, extra);
    register(running);
    return running;
  }

  /**
   * Inject mode ({@code inject.enabled=true} in the chart) watching one namespace, not registered:
   * {@link #register}'s probe is a Deployment, which an Inject policy leaves alone, so the Pod
   * webhook's registration is the caller's ({@link PodWebhook}).
   */
  Running startInject(String label, String namespace) {
    return launch(label, List.of(namespace), Map.of("RUNTIMEPOLICY_INJECT_ENABLED", "true"));
  }

  private Running launch(String label, List<String> watchNamespaces, Map<String, String> extra) {
    return launch(
        label,
        watchNamespaces,
        extra,
        OperatorProcess.java(cluster.root()),
        options.operatorJavaOptions());
  }

  /**
   * Not registered, on the Java runtime {@code java} with {@code javaOptions} (JAVA_TOOL_OPTIONS):
   * what the runtime phase compares.
   */
  Running startOn(
      String label,
      List<String> watchNamespaces,
      Path java,
      String javaOptions,
      Map<String, String> env) {
    return launch(label, watchNamespaces, env, java, javaOptions);
  }

  private Running launch(
      String label,
      List<String> watchNamespaces,
      Map<String, String> extra,
      Path java,
      String javaOptions) {
    int webhookPort = OperatorProcess.freePort();
    Map<String, String> env = new HashMap<>(extra);
    env.put("KUBECONFIG", cluster.kubeconfig().toString());
    env.put("JAVA_TOOL_OPTIONS", javaOptions);
    env.put("RUNTIMEPOLICY_OPERATOR_NAMESPACE", OPERATOR_NAMESPACE);
    if (!watchNamespaces.isEmpty()) {
      env.put("RUNTIMEPOLICY_WATCH_NAMESPACES", String.join(",", watchNamespaces));
    }
    env.putIfAbsent("RUNTIMEPOLICY_RESYNC_PERIOD", options.resync().toSeconds() + "s");
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
            java, cluster.root(), env, logs.resolve(label + ".log"), Duration.ofSeconds(120));
    Duration startToReady = Duration.ofNanos(System.nanoTime() - before);
    cleanup.add(label, process::close);
    return new Running(label, process, startToReady, webhookPort, watchNamespaces);
  }

  /**
   * Registers the chart's webhook for {@code running} (its watched namespaces as the chart's {@code
   * watchNamespaces}, so the namespace selector is the one helm would render) and waits until the
   * API server's admission reaches it.
   */
  void register(Running running) {
    registered =
        WebhookRegistrations.registerAndAwait(
            cluster.client(),
            running.webhookPort(),
            cluster.certificate().caPem(),
            OPERATOR_NAMESPACE,
            running.probeNamespace(),
            chartValues(running));
  }

  /**
   * Deletes the registration and waits until a dry-run create in {@code running}'s namespace comes
   * back untouched: from then on no write goes through any webhook.
   */
  void unregister(Running running) {
    deleteRegistration();
    Deployment probe = Workloads.governed(running.probeNamespace(), "probe", null, false);
    Poll.until(
        "the API server to stop calling the webhook",
        Duration.ofSeconds(60),
        Duration.ofMillis(100),
        () -> {
          var annotations =
              cluster.client().resource(probe).dryRun().create().getMetadata().getAnnotations();
          return annotations == null || !annotations.containsKey(Annotations.MANAGED_ENV);
        });
  }

  /** SIGTERM, wait for the process to end, and remove its webhook registration. */
  void stop(Running running) {
    cleanup.runNow(running.label());
    deleteRegistration();
  }

  private void deleteRegistration() {
    if (registered != null) {
      cluster.client().resource(registered).delete();
      registered = null;
    }
  }

  private static String[] chartValues(Running running) {
    return running.watchNamespaces().isEmpty()
        ? new String[0]
        : new String[] {"watchNamespaces={" + String.join(",", running.watchNamespaces()) + "}"};
  }

  PromText metrics(Running running) {
    return PromText.scrape(running.process().healthPort());
  }

  Path logs() {
    return logs;
  }

  private static final java.util.regex.Pattern CACHES_SYNCED =
      java.util.regex.Pattern.compile("Workload caches synced ([0-9.]+) s after the JVM started");

  /**
   * Seconds from the JVM's start until its workload caches had all listed, as the operator logs it
   * once its start returns (after /readyz: readiness waits for the policies only).
   */
  double cachesSyncedSeconds(Running running, Duration within) {
    double[] seconds = {-1};
    Poll.until(
        running.label() + " to log its caches synced",
        within,
        Duration.ofMillis(200),
        () -> {
          logLines(running)
              .map(CACHES_SYNCED::matcher)
              .filter(java.util.regex.Matcher::find)
              .findFirst()
              .ifPresent(m -> seconds[0] = Double.parseDouble(m.group(1)));
          return seconds[0] >= 0;
        });
    return seconds[0];
  }

  /** Lines the operator logged at ERROR level (logback's pattern puts the level after the time). */
  long errorLines(Running running) {
    return logLines(running).filter(line -> line.contains(" ERROR ")).count();
  }

  /** The lines of {@code running}'s log so far. */
  private java.util.stream.Stream<String> logLines(Running running) {
    try {
      return Files.readAllLines(logs.resolve(running.label() + ".log")).stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
