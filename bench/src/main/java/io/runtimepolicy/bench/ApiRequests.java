package io.runtimepolicy.bench;

import io.runtimepolicy.testing.PromText;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The API server's {@code apiserver_request_total}, summed per verb and resource (subresource after
 * a slash; non-resource URLs such as /metrics have an empty resource). The metric has no user
 * label: a window is attributed by taking care that only one client acts in it.
 */
record ApiRequests(Map<String, Long> counts) {

  static final Set<String> WRITE_VERBS =
      Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION");
  static final Set<String> READ_VERBS = Set.of("GET", "LIST", "WATCH");

  /** What the operator reads and writes: a request on anything else is not its. */
  static final Set<String> OPERATOR_RESOURCES = Set.of("deployments", "runtimepolicies", "events");

  static ApiRequests of(PromText metrics) {
    Map<String, Long> counts = new TreeMap<>();
    for (PromText.Sample s : metrics.named("apiserver_request_total")) {
      String resource =
          s.label("resource")
              + (s.label("subresource").isEmpty() ? "" : "/" + s.label("subresource"));
      counts.merge(s.label("verb") + " " + resource, (long) s.value(), Long::sum);
    }
    return new ApiRequests(counts);
  }

  /** This scrape minus an earlier one: the requests made in between. */
  ApiRequests since(ApiRequests before) {
    Map<String, Long> delta = new TreeMap<>();
    counts.forEach(
        (key, value) -> {
          long d = value - before.counts.getOrDefault(key, 0L);
          if (d != 0) {
            delta.put(key, d);
          }
        });
    return new ApiRequests(delta);
  }

  long count(String verb, String resource) {
    return counts.getOrDefault(verb + " " + resource, 0L);
  }

  long writes(Predicate<String> resource) {
    return total(WRITE_VERBS, resource);
  }

  long reads(Predicate<String> resource) {
    return total(READ_VERBS, resource);
  }

  /**
   * The operator never writes a workload's status or scale; the deployment controller writes {@code
   * deployments/status} on every rollout (the full cluster), which is not the operator's.
   */
  static boolean operatorResource(String resource) {
    return OPERATOR_RESOURCES.contains(resource.split("/")[0])
        && !resource.equals("deployments/status")
        && !resource.equals("deployments/scale");
  }

  private long total(Set<String> verbs, Predicate<String> resource) {
    return counts.entrySet().stream()
        .filter(
            e -> {
              String[] parts = e.getKey().split(" ", 2);
              return verbs.contains(parts[0]) && resource.test(parts.length > 1 ? parts[1] : "");
            })
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
