package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.WorkloadEvaluator;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.WebhookRegistrations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The user's own path (issue 11): annotated Deployments created through the API server with the
 * operator's mutating webhook registered, against the same creates with no webhook registered at
 * all, in alternating rounds. Its own operator process watches only {@link #WITH}, so the creates
 * in {@link #WITHOUT} concern no operator; the harness measures the 4-thread create loop (N in all,
 * as the convergence create loop) and creates one at a time like {@code kubectl create}, then
 * counts, from the API server's and the operator's own counters, every write the creates under the
 * webhook caused.
 */
final class AdmissionBench {

  static final String WITH = "bench-admission";
  static final String WITHOUT = "bench-admission-none";
  static final int ROUNDS = 2;

  /**
   * Unmeasured dry runs through the webhook before the rounds: the operator process is fresh, and a
   * user's webhook has long been warm when their create arrives.
   */
  static final int WARMUP_REVIEWS = 500;

  /** The webhook's name in the chart's MutatingWebhookConfiguration. */
  private static final String WEBHOOK = "workloads.runtimepolicy.io";

  /**
   * Seconds of the create loops and latencies of the single creates, each side; the stored objects
   * tuned by their own create; from the last create until every Deployment was seen tuned and the
   * {@code default} policy's status counted them all; the requests the with-webhook segments caused
   * (after the operator settled), the admission calls the API server made, and the operator's own
   * write counter.
   */
  record Result(
      int n,
      int created,
      double withoutSeconds,
      double withSeconds,
      Latencies withoutSingle,
      Latencies withSingle,
      Latencies withoutDryRun,
      Latencies withDryRun,
      int tunedAtCreate,
      double lastCreateToStatusSeconds,
      Map<String, Long> requests,
      long admissionCalls,
      double admissionCallSeconds,
      List<Double> admissionCallMsPerRound,
      List<Double> withSecondsPerRound,
      List<Double> withoutSecondsPerRound,
      double operatorDeploymentWrites,
      Latencies governedPaired,
      Latencies plainPaired,
      double webhookConnections,
      double callsWithin5ms,
      double callsWithin25ms,
      double serverReviews,
      double serverReviewSeconds,
      Trivial trivial) {

    long deploymentWrites() {
      return new ApiRequests(requests).writes(r -> r.equals("deployments"));
    }

    long deploymentCreates() {
      return new ApiRequests(requests).count("POST", "deployments");
    }

    long eventWrites() {
      return new ApiRequests(requests).writes(r -> r.equals("events"));
    }

    long policyWrites() {
      return new ApiRequests(requests).writes(r -> r.startsWith("runtimepolicies"));
    }
  }

  /**
   * The same create loop and single creates with the bench's trivial webhook registered in the
   * operator's place: what any webhook costs through this API server on this machine, the limit for
   * the operator's figures.
   */
  record Trivial(double loopSeconds, long calls, double callSeconds) {
    double callMs() {
      return calls == 0 ? Double.NaN : callSeconds * 1000 / calls;
    }
  }

  private final BenchCluster cluster;
  private final OperatorLauncher launcher;
  private final BenchOptions options;
  private final KubernetesClient client;

  private final Cleanup cleanup;

  AdmissionBench(
      BenchCluster cluster, OperatorLauncher launcher, BenchOptions options, Cleanup cleanup) {
    this.cluster = cluster;
    this.launcher = launcher;
    this.options = options;
    this.cleanup = cleanup;
    this.client = cluster.client();
  }

  Result run() throws TimeoutException {
    cluster.createNamespace(WITH);
    cluster.createNamespace(WITHOUT);
    int perRound = Math.max(1, options.admissionN() / ROUNDS);
    int singlePerRound = Math.max(1, options.webhookCreates() / ROUNDS);
    int created = ROUNDS * (perRound + singlePerRound);
    var operator = launcher.start("operator-admission", List.of(WITH));
    dryRuns(WITH, WARMUP_REVIEWS, new ArrayList<>());
    List<Long> withoutSingle = new ArrayList<>();
    List<Long> withSingle = new ArrayList<>();
    List<Long> withoutDryRun = new ArrayList<>();
    List<Long> withDryRun = new ArrayList<>();
    double withoutSeconds = 0;
    double withSeconds = 0;
    AtomicInteger tuned = new AtomicInteger();
    ApiRequests requests = new ApiRequests(Map.of());
    long admissionCalls = 0;
    double admissionCallSeconds = 0;
    List<Double> callMsPerRound = new ArrayList<>();
    List<Double> withPerRound = new ArrayList<>();
    List<Double> withoutPerRound = new ArrayList<>();
    double operatorWrites = 0;
    double connections = 0;
    double within5ms = 0;
    double within25ms = 0;
    double serverReviews = 0;
    double serverSeconds = 0;
    long lastCreate = 0;
    long converged = 0;
    try (ConvergenceObserver observer =
        ConvergenceObserver.start(client, WITH, created, "default")) {
      for (int round = 0; round < ROUNDS; round++) {
        launcher.unregister(operator);
        withoutPerRound.add(loop(WITHOUT, "r" + round, perRound, null));
        withoutSeconds += withoutPerRound.get(round);
        singles(WITHOUT, "r" + round, singlePerRound, withoutSingle, null);
        dryRuns(WITHOUT, singlePerRound, withoutDryRun);
        launcher.register(operator);
        dryRuns(WITH, singlePerRound, withDryRun);
        PromText apiBefore = cluster.apiServerMetrics();
        PromText operatorMetricsBefore = launcher.metrics(operator);
        double operatorBefore = OperatorCounters.deploymentsPatched(operatorMetricsBefore);
        double connectionsBefore = OperatorCounters.webhookConnections(operatorMetricsBefore);
        withPerRound.add(loop(WITH, "r" + round, perRound, tuned));
        withSeconds += withPerRound.get(round);
        singles(WITH, "r" + round, singlePerRound, withSingle, tuned);
        if (round == ROUNDS - 1) {
          lastCreate = System.nanoTime();
          converged = observer.await(Duration.ofSeconds(120));
        }
        settle(operator);
        PromText apiAfter = cluster.apiServerMetrics();
        requests = add(requests, ApiRequests.of(apiAfter).since(ApiRequests.of(apiBefore)));
        double calls = admissionCalls(apiAfter) - admissionCalls(apiBefore);
        double callSeconds = admissionSeconds(apiAfter) - admissionSeconds(apiBefore);
        admissionCalls += (long) calls;
        admissionCallSeconds += callSeconds;
        callMsPerRound.add(calls == 0 ? Double.NaN : callSeconds * 1000 / calls);
        PromText operatorMetricsAfter = launcher.metrics(operator);
        operatorWrites +=
            OperatorCounters.deploymentsPatched(operatorMetricsAfter) - operatorBefore;
        connections +=
            OperatorCounters.webhookConnections(operatorMetricsAfter) - connectionsBefore;
        within5ms += callsWithin(apiAfter, "0.005") - callsWithin(apiBefore, "0.005");
        within25ms += callsWithin(apiAfter, "0.025") - callsWithin(apiBefore, "0.025");
        serverReviews +=
            OperatorCounters.reviewsTimed(operatorMetricsAfter)
                - OperatorCounters.reviewsTimed(operatorMetricsBefore);
        serverSeconds +=
            OperatorCounters.reviewSeconds(operatorMetricsAfter)
                - OperatorCounters.reviewSeconds(operatorMetricsBefore);
      }
      List<Long> governedPaired = new ArrayList<>();
      List<Long> plainPaired = new ArrayList<>();
      pairs(ROUNDS * singlePerRound, governedPaired, plainPaired);
      launcher.stop(operator);
      Trivial trivial = trivial(perRound, singlePerRound);
      return new Result(
          ROUNDS * perRound,
          created,
          withoutSeconds,
          withSeconds,
          Latencies.of(withoutSingle.stream().mapToLong(Long::longValue).toArray()),
          Latencies.of(withSingle.stream().mapToLong(Long::longValue).toArray()),
          Latencies.of(withoutDryRun.stream().mapToLong(Long::longValue).toArray()),
          Latencies.of(withDryRun.stream().mapToLong(Long::longValue).toArray()),
          tuned.get(),
          Math.max(0, converged - lastCreate) / 1e9,
          requests.counts(),
          admissionCalls,
          admissionCallSeconds,
          callMsPerRound,
          withPerRound,
          withoutPerRound,
          operatorWrites,
          Latencies.of(governedPaired.stream().mapToLong(Long::longValue).toArray()),
          Latencies.of(plainPaired.stream().mapToLong(Long::longValue).toArray()),
          connections,
          within5ms,
          within25ms,
          serverReviews,
          serverSeconds,
          trivial);
    } finally {
      launcher.stop(operator);
    }
  }

  /**
   * One round's creates, in the namespace no operator watches, with the trivial webhook registered
   * under the operator's registration; the operator has stopped.
   */
  private Trivial trivial(int perRound, int singlePerRound) {
    int port =
        TrivialWebhookProcess.start(
            cluster,
            options.operatorJavaOptions(),
            launcher.logs().resolve("trivial-webhook-admission.log"),
            cleanup);
    var registration =
        WebhookRegistrations.loopback(
            port, cluster.certificate().caPem(), OperatorLauncher.OPERATOR_NAMESPACE);
    client.resource(registration).forceConflicts().serverSideApply();
    cleanup.add("trivial webhook registration", () -> client.resource(registration).delete());
    try {
      double before = admissionCalls(cluster.apiServerMetrics());
      Poll.until(
          "the API server to call the trivial webhook",
          Duration.ofSeconds(60),
          Duration.ofMillis(100),
          () -> {
            dryRuns(WITHOUT, 1, new ArrayList<>());
            return admissionCalls(cluster.apiServerMetrics()) > before;
          });
      dryRuns(WITHOUT, WARMUP_REVIEWS, new ArrayList<>());
      PromText apiBefore = cluster.apiServerMetrics();
      double loopSeconds = loop(WITHOUT, "trivial", perRound, null);
      singles(WITHOUT, "trivial", singlePerRound, new ArrayList<>(), null);
      PromText apiAfter = cluster.apiServerMetrics();
      return new Trivial(
          loopSeconds,
          (long) (admissionCalls(apiAfter) - admissionCalls(apiBefore)),
          admissionSeconds(apiAfter) - admissionSeconds(apiBefore));
    } finally {
      cleanup.runNow("trivial webhook registration");
      cleanup.runNow("trivial webhook");
    }
  }

  /** The 4-thread create loop; {@code tuned} counts the creates the API server stored tuned. */
  private double loop(String namespace, String tag, int count, AtomicInteger tuned) {
    ParallelLoop.Timing timing =
        ParallelLoop.run(
            count,
            options.threads(),
            i -> create(namespace, "loop-" + tag + "-" + ConvergenceBench.name(i), tuned));
    return timing.duration().toNanos() / 1e9;
  }

  /** One create at a time, as kubectl create sends it; latency of each. */
  private void singles(
      String namespace, String tag, int count, List<Long> latencies, AtomicInteger tuned) {
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      create(namespace, "single-" + tag + "-" + ConvergenceBench.name(i), tuned);
      latencies.add(System.nanoTime() - start);
    }
  }

  /**
   * The user's view of the opt-in: one create at a time with the webhook registered and the
   * operator running, alternating a governed Deployment and the same one without the opt-in (which
   * the webhook's match conditions spare), the first of each pair alternating too, so both sides
   * meet the same cluster and the same trailing work of the operator.
   */
  private void pairs(int count, List<Long> governed, List<Long> plain) {
    for (int i = 0; i < count; i++) {
      String name = ConvergenceBench.name(i);
      Deployment withOptIn = Workloads.governed(WITH, "pair-governed-" + name, null, true);
      Deployment without = Workloads.ungoverned(WITH, "pair-plain-" + name, true);
      if (i % 2 == 0) {
        governed.add(timedCreate(withOptIn));
        plain.add(timedCreate(without));
      } else {
        plain.add(timedCreate(without));
        governed.add(timedCreate(withOptIn));
      }
    }
  }

  private long timedCreate(Deployment d) {
    long start = System.nanoTime();
    client.apps().deployments().inNamespace(WITH).resource(d).create();
    return System.nanoTime() - start;
  }

  /**
   * Server-side dry-run creates, one at a time: admission runs, nothing is stored, so no watch
   * event wakes the operator's reconciler. Against the real creates they tell the webhook's own
   * cost from what the operator's reaction to each stored create costs the next one.
   */
  private void dryRuns(String namespace, int count, List<Long> latencies) {
    for (int i = 0; i < count; i++) {
      Deployment d =
          Workloads.governed(namespace, "dry-run-" + ConvergenceBench.name(i), null, true);
      long start = System.nanoTime();
      client.apps().deployments().inNamespace(namespace).resource(d).dryRun().create();
      latencies.add(System.nanoTime() - start);
    }
  }

  private void create(String namespace, String name, AtomicInteger tuned) {
    Deployment stored =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .resource(Workloads.governed(namespace, name, null, true))
            .create();
    if (tuned != null
        && !WorkloadEvaluator.evaluate(
                PolicySettings.defaults(),
                stored.getMetadata().getAnnotations(),
                stored.getSpec().getTemplate().getSpec())
            .needsChange()) {
      tuned.incrementAndGet();
    }
  }

  /**
   * Until the operator's trailing work (the default policy, status, Events) has stopped for 3 s.
   */
  private void settle(OperatorLauncher.Running operator) {
    Poll.settled(
        "the operator's work after the creates",
        Duration.ofSeconds(3),
        Duration.ofSeconds(120),
        () ->
            List.of(
                ApiRequests.of(cluster.apiServerMetrics()).writes(ApiRequests::operatorResource),
                OperatorCounters.reconciles(launcher.metrics(operator))));
  }

  private static double admissionCalls(PromText metrics) {
    return metrics.sum(
        "apiserver_admission_webhook_admission_duration_seconds_count",
        s -> WEBHOOK.equals(s.label("name")));
  }

  /** Calls the API server's histogram puts at or under {@code le} seconds. */
  private static double callsWithin(PromText metrics, String le) {
    return metrics.sum(
        "apiserver_admission_webhook_admission_duration_seconds_bucket",
        s -> WEBHOOK.equals(s.label("name")) && le.equals(s.label("le")));
  }

  /** The API server's own total time in calls to the webhook. */
  private static double admissionSeconds(PromText metrics) {
    return metrics.sum(
        "apiserver_admission_webhook_admission_duration_seconds_sum",
        s -> WEBHOOK.equals(s.label("name")));
  }

  private static ApiRequests add(ApiRequests a, ApiRequests b) {
    Map<String, Long> sum = new java.util.TreeMap<>(a.counts());
    b.counts().forEach((k, v) -> sum.merge(k, v, Long::sum));
    return new ApiRequests(sum);
  }
}
