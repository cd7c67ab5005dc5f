package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.workload.PodOwner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the governed pods the Pod webhook never saw ({@code failurePolicy: Ignore} lets a pod be
 * created while it is down): those carry the opt-in but not the injected label. The watch holds
 * marked pods only, so these are found by a paged list of the unmarked pods of a namespace with an
 * Inject policy, at most once per {@code interval} per namespace (and at the first reconcile after
 * a start); only the counts are kept.
 */
final class UntunedPodScan {

  private static final Logger log = LoggerFactory.getLogger(UntunedPodScan.class);
  private static final long PAGE = 500;

  /** Per policy name, per owner. */
  private record Result(Instant at, Map<String, Map<PodOwner, PodCensus.Untuned>> byPolicy) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration interval;
  private final Map<String, Result> results = new ConcurrentHashMap<>();
  private final Map<String, Integer> lastRefused = new ConcurrentHashMap<>();

  UntunedPodScan(KubernetesClient client, Clock clock, Duration interval) {
    this.client = client;
    this.clock = clock;
    this.interval = interval;
  }

  /** The untuned pods of {@code namespace} that name {@code policy}, per owner. */
  Map<PodOwner, PodCensus.Untuned> of(String namespace, String policy) {
    Instant now = clock.instant();
    Result result =
        results.compute(
            namespace,
            (ns, last) ->
                last != null && last.at().plus(interval).isAfter(now) ? last : scan(ns, now, last));
    return result.byPolicy().getOrDefault(policy, Map.of());
  }

  private Result scan(String namespace, Instant now, Result last) {
    Map<String, Map<PodOwner, PodCensus.Untuned>> byPolicy = new HashMap<>();
    String next = null;
    try {
      do {
        PodList page =
            client
                .pods()
                .inNamespace(namespace)
                .withoutLabel(Annotations.INJECTED_LABEL)
                .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
        for (Pod pod : page.getItems()) {
          count(pod, byPolicy);
        }
        next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
    } catch (KubernetesClientException e) {
      // Logged when the refusal starts or changes, not at every scan.
      if (!Integer.valueOf(e.getCode()).equals(lastRefused.put(namespace, e.getCode()))) {
        log.warn("Could not list the pods of namespace {}: HTTP {}", namespace, e.getCode());
      }
      // Tried again after the interval, not at every reconcile.
      return new Result(now, last == null ? Map.of() : last.byPolicy());
    }
    lastRefused.remove(namespace);
    return new Result(now, byPolicy);
  }

  private static void count(Pod pod, Map<String, Map<PodOwner, PodCensus.Untuned>> byPolicy) {
    var annotations = pod.getMetadata().getAnnotations();
    if (!PodCensus.running(pod)) {
      return;
    }
    Annotations.governingPolicy(annotations)
        .ifPresent(
            policy ->
                byPolicy
                    .computeIfAbsent(policy, p -> new HashMap<>())
                    .merge(
                        PodOwner.of(pod),
                        new PodCensus.Untuned(1, InjectedPodSource.PodStore.pruned(pod)),
                        PodCensus.Untuned::plus));
  }
}
