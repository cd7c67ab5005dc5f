package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.runtimepolicy.testing.PromText;
import java.util.ArrayList;
import java.util.List;

/**
 * Inject mode's price on the pod path (issue 14): governed bare pods created one at a time through
 * the API server, under an Inject policy, with the chart's Pod webhook registered against the same
 * creates with no registration at all, in alternating rounds in the same namespace; every pod the
 * webhook saw must come back labeled, none of the others. Before the rounds, the webhook alone at
 * fixed rates (50, then 200 reviews a second by default, as the webhook phase) against the trivial
 * handler ({@link WebhookBench}), with governed Pod CREATE reviews for that namespace. Pods stay
 * Pending on the bare API server: only admission and storage are timed.
 */
final class InjectBench {

  static final String NAMESPACE = "bench-inject";
  static final int ROUNDS = 2;

  /** Unmeasured creates before each side of each round, so neither pays a first call alone. */
  static final int WARMUP = 5;

  /** The Pod webhook's name in the chart's MutatingWebhookConfiguration. */
  static final String WEBHOOK = "pods.runtimepolicy.io";

  /**
   * Create latencies each side; how many creates came back labeled each side and how many labeled
   * pods the namespace holds at the end; the API server's calls to the Pod webhook over the
   * with-webhook segments, their total seconds, and the operator's own Pod review counter.
   */
  record Creates(
      int perSide,
      Latencies without,
      Latencies with,
      int labeledWith,
      int labeledWithout,
      long labeledStored,
      long createdWith,
      double webhookCalls,
      double webhookCallSeconds,
      double podReviews) {}

  record Result(Creates creates, List<WebhookBench.Direct> direct) {}

  private final BenchCluster cluster;
  private final OperatorLauncher launcher;
  private final BenchOptions options;
  private final Cleanup cleanup;

  InjectBench(BenchCluster cluster, OperatorLauncher launcher, BenchOptions options, Cleanup c) {
    this.cluster = cluster;
    this.launcher = launcher;
    this.options = options;
    this.cleanup = c;
  }

  Result run() {
    cluster.createNamespace(NAMESPACE);
    cluster.createServiceAccount(NAMESPACE);
    InjectPods.createPolicy(cluster.client(), NAMESPACE);
    var operator = launcher.startInject("operator-inject", NAMESPACE);
    PodWebhook webhook = new PodWebhook(cluster, NAMESPACE);
    try {
      // Confirms the process governs the namespace in Inject mode before it is loaded directly.
      webhook.register(operator);
      List<WebhookBench.Direct> direct =
          new WebhookBench(cluster, options, cleanup)
              .direct(
                  operator.webhookPort(),
                  launcher.logs(),
                  AdmissionBodies.pod(NAMESPACE),
                  options.injectRates());
      return new Result(creates(operator, webhook), direct);
    } finally {
      webhook.unregister();
      launcher.stop(operator);
    }
  }

  private Creates creates(OperatorLauncher.Running operator, PodWebhook webhook) {
    int perRound = Math.max(1, options.injectCreates() / ROUNDS);
    List<Long> without = new ArrayList<>();
    List<Long> with = new ArrayList<>();
    int[] labeled = new int[2];
    double calls = 0;
    double callSeconds = 0;
    double reviews = 0;
    for (int round = 0; round < ROUNDS; round++) {
      webhook.unregister();
      labeled[0] += singles("without-r" + round, perRound, without);
      webhook.register(operator);
      PromText apiBefore = cluster.apiServerMetrics();
      double reviewsBefore = podReviews(operator);
      labeled[1] += singles("with-r" + round, perRound, with);
      PromText apiAfter = cluster.apiServerMetrics();
      calls += webhookSum(apiAfter, "_count") - webhookSum(apiBefore, "_count");
      callSeconds += webhookSum(apiAfter, "_sum") - webhookSum(apiBefore, "_sum");
      reviews += podReviews(operator) - reviewsBefore;
    }
    List<Pod> stored = cluster.client().pods().inNamespace(NAMESPACE).list().getItems();
    return new Creates(
        ROUNDS * perRound,
        latencies(without),
        latencies(with),
        labeled[1],
        labeled[0],
        stored.stream().filter(InjectPods::injected).count(),
        stored.stream().filter(p -> p.getMetadata().getName().startsWith("with-")).count(),
        calls,
        callSeconds,
        reviews);
  }

  /**
   * One create at a time, as a controller or {@code kubectl create} sends them; the latency of each
   * after the warm-up ones; returns how many of all came back labeled by the webhook.
   */
  private int singles(String tag, int count, List<Long> latencies) {
    int labeled = 0;
    for (int i = 0; i < WARMUP + count; i++) {
      Pod pod = InjectPods.governed(NAMESPACE, tag + "-" + ConvergenceBench.name(i));
      long start = System.nanoTime();
      Pod created = cluster.client().resource(pod).create();
      long nanos = System.nanoTime() - start;
      if (i >= WARMUP) {
        latencies.add(nanos);
      }
      labeled += InjectPods.injected(created) ? 1 : 0;
    }
    return labeled;
  }

  private double podReviews(OperatorLauncher.Running operator) {
    return launcher
        .metrics(operator)
        .sum("runtimepolicy_admission_reviews_total", s -> "Pod".equals(s.label("kind")));
  }

  private static double webhookSum(PromText metrics, String suffix) {
    return metrics.sum(
        "apiserver_admission_webhook_admission_duration_seconds" + suffix,
        s -> WEBHOOK.equals(s.label("name")));
  }

  private static Latencies latencies(List<Long> nanos) {
    return Latencies.of(nanos.stream().mapToLong(Long::longValue).toArray());
  }
}
