package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.config.OperatorConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Convergence of N annotated Deployments, three ways, each in a fresh namespace:
 *
 * <ol>
 *   <li>limit (run before any operator process exists, so none watches it and no webhook is
 *       registered): N created, then a plain loop server-side applies to each the env value the
 *       webhook would set: the API server's own rate for N writes; clock from the first apply;
 *   <li>reconciler: with the operator's webhook registered, N created naming policy {@code bench},
 *       which does not exist yet, so admission only warns and the operator holds them untouched;
 *       clock from the create of that one policy, after which the reconciler writes each one (its
 *       identity alone) and the webhook sets the values in that write;
 *   <li>at once (admission): N created under the auto-created {@code default} policy, each tuned by
 *       the webhook in its own create; clock from the first create to the status exact.
 * </ol>
 *
 * Every run ends when the same observer has seen every Deployment with the right flags (and, for
 * the operator, the policy's status counts exact).
 */
final class ConvergenceBench {

  static final String POLICY = "bench";

  /**
   * The limit for one N, and two single-threaded loops that explain the operator's time: applies
   * only, and applies each followed by an Event (the operator's write pattern).
   */
  record Limit(
      int n,
      double createSeconds,
      double limitSeconds,
      double serialSeconds,
      double serialWithEventsSeconds) {}

  /** One N: seconds for each way, and the requests on the operator's resources during its run. */
  record Result(
      int n,
      double limitSeconds,
      double limitThroughWebhookSeconds,
      double createSeconds,
      double serialSeconds,
      double serialWithEventsSeconds,
      double operatorSeconds,
      double operatorEventsSeconds,
      double atOnceSeconds,
      double atOnceCreateSeconds,
      Map<String, Long> operatorRequests,
      Map<String, Long> atOnceRequests) {}

  private final BenchCluster cluster;
  private final KubernetesClient client;
  private final int threads;

  ConvergenceBench(BenchCluster cluster, int threads) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.threads = threads;
  }

  static String operatorNamespace(int n) {
    return "bench-op-" + n;
  }

  static String atOnceNamespace(int n) {
    return "bench-atonce-" + n;
  }

  /** The plain loops' Deployments, once measured. */
  void deleteLimitDeployments(int n) {
    for (String ns : List.of("bench-limit-" + n, "bench-serial-" + n, "bench-serial-events-" + n)) {
      client.apps().deployments().inNamespace(ns).delete();
    }
  }

  static String name(int i) {
    return String.format("app-%05d", i);
  }

  Limit limit(int n) throws TimeoutException {
    double[] createSeconds = new double[1];
    double limit = plainLoop("bench-limit-" + n, n, threads, false, createSeconds);
    double serial = plainLoop("bench-serial-" + n, n, 1, false, new double[1]);
    double serialWithEvents = plainLoop("bench-serial-events-" + n, n, 1, true, new double[1]);
    return new Limit(n, createSeconds[0], limit, serial, serialWithEvents);
  }

  /** Seconds from the first apply until the observer saw all N with the right flags. */
  private double plainLoop(
      String ns, int n, int loopThreads, boolean events, double[] createSeconds)
      throws TimeoutException {
    Deployment[] created = new Deployment[n];
    try (ConvergenceObserver observer = observe(ns, n, null)) {
      createSeconds[0] =
          seconds(create(n, ns, name -> Workloads.governed(ns, name, POLICY, true), created));
      awaitSeen(observer, n);
      ParallelLoop.Timing loop = PlainApplyLoop.run(client, List.of(created), loopThreads, events);
      return (observer.await(within(n)) - loop.startNanos()) / 1e9;
    }
  }

  Result operator(Limit limit) throws TimeoutException {
    int n = limit.n();
    String ns = operatorNamespace(n);
    double throughWebhook = limitThroughWebhook(n);
    double operatorSeconds;
    double eventsSeconds;
    ApiRequests requests;
    try (ConvergenceObserver observer = observe(ns, n, POLICY)) {
      create(n, ns, name -> Workloads.governed(ns, name, POLICY, true), new Deployment[n]);
      awaitSeen(observer, n);
      ApiRequests before = ApiRequests.of(cluster.apiServerMetrics());
      long start = System.nanoTime();
      client.resource(policy(ns)).create();
      operatorSeconds = (observer.await(within(n)) - start) / 1e9;
      eventsSeconds = (lastEventWritten(before, n) - start) / 1e9;
      requests = settledRequests(before);
    }
    String atOnce = atOnceNamespace(n);
    try (ConvergenceObserver observer = observe(atOnce, n, "default")) {
      ApiRequests atOnceBefore = ApiRequests.of(cluster.apiServerMetrics());
      ParallelLoop.Timing creates =
          create(
              n, atOnce, name -> Workloads.governed(atOnce, name, null, true), new Deployment[n]);
      double atOnceSeconds = (observer.await(within(n)) - creates.startNanos()) / 1e9;
      ApiRequests atOnceRequests = settledRequests(atOnceBefore);
      return new Result(
          n,
          limit.limitSeconds(),
          throughWebhook,
          limit.createSeconds(),
          limit.serialSeconds(),
          limit.serialWithEventsSeconds(),
          operatorSeconds,
          eventsSeconds,
          atOnceSeconds,
          seconds(creates),
          operatorOnly(requests),
          operatorOnly(atOnceRequests));
    }
  }

  /**
   * The limit again with the operator running and its webhook registered: the same applies, each
   * now also sent to the webhook (the reconciler's writes pay that call, the limit does not). The
   * Deployments name policy {@code bench}, absent in their namespace, so the webhook answers
   * without a patch (a warning) and the operator leaves them alone.
   */
  private double limitThroughWebhook(int n) throws TimeoutException {
    String ns = "bench-limit-webhook-" + n;
    double seconds = plainLoop(ns, n, threads, false, new double[1]);
    if (cluster.full()) {
      client.apps().deployments().inNamespace(ns).delete();
    }
    return seconds;
  }

  /** The policy the operator would create itself: the chart's defaults. */
  static RuntimePolicy policy(String namespace) {
    RuntimePolicy policy = new RuntimePolicy();
    policy.getMetadata().setName(POLICY);
    policy.getMetadata().setNamespace(namespace);
    policy.setSpec(OperatorConfig.fromEnv(Map.of()).defaultPolicy());
    return policy;
  }

  private ConvergenceObserver observe(String namespace, int n, String policy) {
    cluster.createNamespace(namespace);
    return ConvergenceObserver.start(client, namespace, n, policy);
  }

  private ParallelLoop.Timing create(
      int n, String namespace, Function<String, Deployment> deployment, Deployment[] out) {
    return ParallelLoop.run(
        n,
        threads,
        i ->
            out[i] =
                client
                    .apps()
                    .deployments()
                    .inNamespace(namespace)
                    .resource(deployment.apply(name(i)))
                    .create());
  }

  private static void awaitSeen(ConvergenceObserver observer, int n) {
    Poll.until(
        "the observer to see " + n + " Deployments",
        within(n),
        Duration.ofMillis(20),
        () -> observer.seen() == n);
  }

  /**
   * System.nanoTime() once the API server has taken one Event per Deployment since {@code before}:
   * the operator writes them in the background, after the flags.
   */
  private long lastEventWritten(ApiRequests before, int n) {
    Poll.until(
        n + " Events",
        within(n),
        Duration.ofMillis(100),
        () ->
            ApiRequests.of(cluster.apiServerMetrics()).since(before).count("POST", "events") >= n);
    return System.nanoTime();
  }

  /** Requests since {@code before}, once the operator's trailing writes have stopped for 2 s. */
  private ApiRequests settledRequests(ApiRequests before) {
    Poll.settled(
        "the operator's writes",
        Duration.ofSeconds(2),
        Duration.ofSeconds(120),
        () ->
            ApiRequests.of(cluster.apiServerMetrics())
                .since(before)
                .writes(ApiRequests::operatorResource));
    return ApiRequests.of(cluster.apiServerMetrics()).since(before);
  }

  private static Map<String, Long> operatorOnly(ApiRequests requests) {
    Map<String, Long> only = new LinkedHashMap<>();
    requests
        .counts()
        .forEach(
            (key, value) -> {
              if (ApiRequests.operatorResource(key.split(" ", 2)[1])) {
                only.put(key, value);
              }
            });
    return only;
  }

  private static Duration within(int n) {
    return Duration.ofSeconds(Math.max(120, n / 5));
  }

  private static double seconds(ParallelLoop.Timing timing) {
    return timing.duration().toNanos() / 1e9;
  }
}
