package io.runtimepolicy.bench;

import io.runtimepolicy.testing.PromText;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A window in which the benchmark sends nothing but the two scrapes that bound it: the API server's
 * request counters across it, the watches open at its end (a watch is counted in
 * apiserver_request_total only when it ends), and, with an operator running, its reconciles and its
 * own counts of Deployment writes and of Events written.
 */
record SteadyStateWindow(
    Duration length,
    ApiRequests requests,
    Map<String, Long> openWatches,
    double reconciles,
    double deploymentsPatched,
    double eventsWritten) {

  static SteadyStateWindow measure(
      BenchCluster cluster,
      OperatorLauncher launcher,
      OperatorLauncher.Running operator,
      Duration length) {
    PromText operatorBefore = operator == null ? null : launcher.metrics(operator);
    ApiRequests before = ApiRequests.of(cluster.apiServerMetrics());
    Poll.window(length);
    PromText metrics = cluster.apiServerMetrics();
    ApiRequests after = ApiRequests.of(metrics);
    Map<String, Long> watches = new TreeMap<>();
    metrics.named("apiserver_longrunning_requests").stream()
        .filter(s -> s.label("verb").equals("WATCH"))
        .forEach(s -> watches.merge(s.label("resource"), (long) s.value(), Long::sum));
    if (operator == null) {
      return new SteadyStateWindow(length, after.since(before), watches, 0, 0, 0);
    }
    PromText operatorAfter = launcher.metrics(operator);
    return new SteadyStateWindow(
        length,
        after.since(before),
        watches,
        OperatorCounters.reconciles(operatorAfter) - OperatorCounters.reconciles(operatorBefore),
        OperatorCounters.deploymentsPatched(operatorAfter)
            - OperatorCounters.deploymentsPatched(operatorBefore),
        OperatorCounters.eventsWritten(operatorAfter)
            - OperatorCounters.eventsWritten(operatorBefore));
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
    long all =
        requests.counts().entrySet().stream()
            .filter(e -> !e.getKey().endsWith(" "))
            .mapToLong(Map.Entry::getValue)
            .sum();
    return perMinute(all);
  }
}
