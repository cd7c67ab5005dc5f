package io.runtimepolicy.bench;

import java.time.Duration;

/**
 * A window in which the benchmark sends nothing but the two scrapes that bound it: the API
 * server's request counters across it, and, with an operator running, its reconciles and its own
 * count of Deployment writes.
 */
record SteadyStateWindow(Duration length, ApiRequests requests, double reconciles, double deploymentsPatched) {

  static SteadyStateWindow measure(BenchCluster cluster, OperatorLauncher launcher, OperatorLauncher.Running operator,
      Duration length) {
    PromText operatorBefore = operator == null ? null : launcher.metrics(operator);
    ApiRequests before = ApiRequests.of(cluster.apiServerMetrics());
    Poll.window(length);
    ApiRequests after = ApiRequests.of(cluster.apiServerMetrics());
    if (operator == null) {
      return new SteadyStateWindow(length, after.since(before), 0, 0);
    }
    PromText operatorAfter = launcher.metrics(operator);
    return new SteadyStateWindow(length, after.since(before),
        OperatorCounters.reconciles(operatorAfter) - OperatorCounters.reconciles(operatorBefore),
        OperatorCounters.deploymentsPatched(operatorAfter) - OperatorCounters.deploymentsPatched(operatorBefore));
  }

  double perMinute(double count) {
    return count * 60_000.0 / length.toMillis();
  }

  long operatorWrites() {
    return requests.writes(ApiRequests::operatorResource);
  }

  double operatorReadsPerMinute() {
    return perMinute(requests.reads(ApiRequests::operatorResource));
  }

  /** Every request but the two /metrics scrapes of the window itself. */
  double allRequestsPerMinute() {
    long all = requests.counts().entrySet().stream().filter(e -> !e.getKey().endsWith(" "))
        .mapToLong(java.util.Map.Entry::getValue).sum();
    return perMinute(all);
  }
}
