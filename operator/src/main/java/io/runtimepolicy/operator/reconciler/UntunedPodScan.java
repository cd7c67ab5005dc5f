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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the governed pods the Pod webhook never saw ({@code failurePolicy: Ignore} lets a pod be
 * created while it is down): those carry the opt-in but not the injected label. The watch holds
 * marked pods only, so these are found by a paged list of the unmarked pods of a namespace with an
 * Inject policy, at most once per {@code interval} per namespace (and at the first reconcile after
 * a start); only the counts are kept. The map only says which scan is current: the list runs
 * outside it, and a reconcile that finds one under way waits for its result, not for a lock.
 */
final class UntunedPodScan implements HeldState.Holder {

  private static final Logger log = LoggerFactory.getLogger(UntunedPodScan.class);
  private static final long PAGE = 500;

  /** One page of a namespace's unmarked pods, from {@code next} (null: the first). */
  @FunctionalInterface
  interface Pages {
    PodList list(String namespace, String next);
  }

  /** Per policy name, per owner. */
  private record Result(Map<String, Map<PodOwner, PodCensus.Untuned>> byPolicy) {}

  /** A scan started at {@code at}, its result once the list is done. */
  private record Scan(Instant at, CompletableFuture<Result> result) {}

  private final Pages pages;
  private final Clock clock;
  private final Duration interval;
  private final Map<String, Scan> scans = new ConcurrentHashMap<>();
  private final Map<String, Integer> lastRefused = new ConcurrentHashMap<>();

  UntunedPodScan(KubernetesClient client, Clock clock, Duration interval) {
    this(
        (namespace, next) ->
            client
                .pods()
                .inNamespace(namespace)
                .withoutLabel(Annotations.INJECTED_LABEL)
                .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build()),
        clock,
        interval);
  }

  UntunedPodScan(Pages pages, Clock clock, Duration interval) {
    this.pages = pages;
    this.clock = clock;
    this.interval = interval;
  }

  /** The untuned pods of {@code namespace} that name {@code policy}, per owner. */
  Map<PodOwner, PodCensus.Untuned> of(String namespace, String policy) {
    Instant now = clock.instant();
    Scan mine = new Scan(now, new CompletableFuture<>());
    Scan[] replaced = {null};
    Scan current =
        scans.compute(
            namespace,
            (ns, last) -> {
              if (last != null && last.at().plus(interval).isAfter(now)) {
                return last;
              }
              replaced[0] = last;
              return mine;
            });
    if (current == mine) {
      run(namespace, mine, replaced[0]);
    }
    return current.result().join().byPolicy().getOrDefault(policy, Map.of());
  }

  private void run(String namespace, Scan mine, Scan replaced) {
    Result last = replaced == null ? null : replaced.result().getNow(null);
    try {
      mine.result().complete(scan(namespace, last));
    } catch (RuntimeException e) {
      // Not kept: the next reconcile lists again, as when nothing was there.
      scans.remove(namespace, mine);
      mine.result().completeExceptionally(e);
      throw e;
    }
  }

  private Result scan(String namespace, Result last) {
    Map<String, Map<PodOwner, PodCensus.Untuned>> byPolicy = new HashMap<>();
    String next = null;
    try {
      do {
        PodList page = pages.list(namespace, next);
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
      return last == null ? new Result(Map.of()) : last;
    }
    lastRefused.remove(namespace);
    return new Result(byPolicy);
  }

  @Override
  public int size() {
    return scans.size() + lastRefused.size();
  }

  @Override
  public void namespaceEmpty(String namespace) {
    scans.remove(namespace);
    lastRefused.remove(namespace);
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
