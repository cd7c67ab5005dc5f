package io.runtimepolicy.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.WebhookRegistrations;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The admission webhook: (1) AdmissionReviews posted straight to it at fixed rates, next to the
 * same load on a trivial handler in its own JVM (the limit); (2) Deployment creates through the API
 * server, one at a time like kubectl create, with and without the webhook registered, in
 * alternating rounds.
 */
final class WebhookBench {

  static final String NAMESPACE = "bench-webhook";

  /**
   * The created Deployments name a policy that does not exist: the webhook evaluates them with the
   * defaults, as it does for any policy it has not cached, and the operator (watching every
   * namespace) neither creates a policy nor patches them during the measurement.
   */
  static final String ABSENT_POLICY = "bench-absent";

  /** One rate: the trivial handler's figures and the operator's. */
  record Direct(int rate, WebhookLoad.Result trivial, WebhookLoad.Result operator) {}

  /** Create latencies through the API server. */
  record EndToEnd(Latencies without, Latencies with) {}

  private final BenchCluster cluster;
  private final BenchOptions options;
  private final Cleanup cleanup;
  private final SSLContext tls;

  WebhookBench(BenchCluster cluster, BenchOptions options, Cleanup cleanup) {
    this.cluster = cluster;
    this.options = options;
    this.cleanup = cleanup;
    this.tls = Tls.trusting(cluster.certificate().caPem());
  }

  List<Direct> direct(int operatorPort, java.nio.file.Path logs) {
    int trivialPort =
        TrivialWebhookProcess.start(
            cluster.root(),
            options.operatorJavaOptions(),
            cluster.certificate().certFile(),
            cluster.certificate().keyFile(),
            logs.resolve("trivial-webhook.log"),
            cleanup);
    AdmissionBodies bodies = new AdmissionBodies(NAMESPACE);
    System.out.printf("bench: AdmissionReview body: %d bytes%n", bodies.size());
    WebhookLoad toTrivial = new WebhookLoad(tls);
    WebhookLoad toOperator = new WebhookLoad(tls);
    List<Direct> results = new ArrayList<>();
    try {
      for (int rate : options.webhookRates()) {
        results.add(
            new Direct(
                rate,
                measure(toTrivial, trivialPort, rate, bodies),
                measure(toOperator, operatorPort, rate, bodies)));
      }
    } finally {
      cleanup.runNow("trivial webhook");
    }
    return results;
  }

  private WebhookLoad.Result measure(WebhookLoad load, int port, int rate, AdmissionBodies bodies) {
    URI target = URI.create("https://127.0.0.1:" + port + "/mutate-workloads");
    load.run(target, rate, options.webhookWarmup(), bodies::body);
    return load.run(target, rate, options.webhookDuration(), bodies::body);
  }

  EndToEnd endToEnd(int operatorPort) {
    cluster.createNamespace(NAMESPACE);
    KubernetesClient client = cluster.client();
    Cli kubectl = Cli.against(cluster.kubeconfigYaml());
    List<Long> without = new ArrayList<>();
    List<Long> with = new ArrayList<>();
    int perSegment = Math.max(1, options.webhookCreates() / 2);
    for (int round = 0; round < 2; round++) {
      creates(client, "without-" + round, perSegment, without);
      var registration =
          WebhookRegistrations.loopback(
              operatorPort, cluster.certificate().caPem(), OperatorLauncher.OPERATOR_NAMESPACE);
      client.resource(registration).serverSideApply();
      awaitWarnings(kubectl, true);
      creates(client, "with-" + round, perSegment, with);
      client.resource(registration).delete();
      awaitWarnings(kubectl, false);
    }
    return new EndToEnd(
        Latencies.of(without.stream().mapToLong(Long::longValue).toArray()),
        Latencies.of(with.stream().mapToLong(Long::longValue).toArray()));
  }

  private static void creates(
      KubernetesClient client, String tag, int count, List<Long> latencies) {
    for (int i = 0; i < count; i++) {
      var deployment = Workloads.governed(NAMESPACE, "e2e-" + tag + "-" + i, ABSENT_POLICY, false);
      long start = System.nanoTime();
      client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).create();
      latencies.add(System.nanoTime() - start);
    }
  }

  /** Until a server-side dry run of a rule-breaking Deployment does (or does not) warn. */
  private static void awaitWarnings(Cli kubectl, boolean expected) {
    String manifest = Serialization.asJson(Workloads.violating(NAMESPACE, "probe"));
    Poll.until(
        "the webhook to be " + (expected ? "called" : "gone"),
        Duration.ofSeconds(60),
        Duration.ofMillis(100),
        () ->
            kubectl
                    .kubectlWithInput(
                        manifest, "create", "--dry-run=server", "-f", "-", "-o", "name")
                    .assertSuccess()
                    .stderr()
                    .contains("runtimepolicy:")
                == expected);
  }
}
