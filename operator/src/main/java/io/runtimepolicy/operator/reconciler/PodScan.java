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
 * A paged list of a namespace's pods, at most once per {@code interval} per namespace (and at the
 * first reconcile after a start), of which only a value per policy and owner is kept, never the
 * pods. The map only says which scan is current: the list runs outside it, and a reconcile that
 * finds one under way waits for its result, not for a lock.
 *
 * @param <V> what is kept per owner
 */
abstract class PodScan<V> implements HeldState.Holder {

  private static final Logger log = LoggerFactory.getLogger(PodScan.class);
  static final long PAGE = 500;

  /** One page of a namespace's pods, from {@code next} (null: the first). */
  @FunctionalInterface
  interface Pages {
    PodList list(String namespace, String next);
  }

  /**
   * A namespace's pods without the injected label, in pages: Inject's unmarked pods, and every pod
   * of an Enforce or Audit workload (those are never marked).
   */
  static Pages unmarked(KubernetesClient client) {
    return (namespace, next) ->
        client
            .pods()
            .inNamespace(namespace)
            .withoutLabel(Annotations.INJECTED_LABEL)
            .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
  }

  /** What one scan keeps of each pod; a new one per scan, so it may remember within a scan. */
  @FunctionalInterface
  interface Counter<V> {
    void count(Pod pod, Map<String, Map<PodOwner, V>> byPolicy);
  }

  /** Per policy name, per owner. */
  private record Result<V>(Map<String, Map<PodOwner, V>> byPolicy) {}

  /** A scan started at {@code at}, its result once the list is done. */
  private record Scan<V>(Instant at, CompletableFuture<Result<V>> result) {}

  private final Pages pages;
  private final Clock clock;
  private final Duration interval;
  private final Map<String, Scan<V>> scans = new ConcurrentHashMap<>();
  private final Map<String, Integer> lastRefused = new ConcurrentHashMap<>();

  PodScan(Pages pages, Clock clock, Duration interval) {
    this.pages = pages;
    this.clock = clock;
    this.interval = interval;
  }

  /** A fresh counter for one scan. */
  abstract Counter<V> counter();

  /** How often a namespace is listed. */
  Duration interval() {
    return interval;
  }

  /** What the current scan of {@code namespace} kept for {@code policy}, per owner. */
  Map<PodOwner, V> of(String namespace, String policy) {
    Instant now = clock.instant();
    Scan<V> mine = new Scan<>(now, new CompletableFuture<>());
    @SuppressWarnings("unchecked")
    Scan<V>[] replaced = new Scan[1];
    Scan<V> current =
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

  private void run(String namespace, Scan<V> mine, Scan<V> replaced) {
    Result<V> last = replaced == null ? null : replaced.result().getNow(null);
    try {
      mine.result().complete(scan(namespace, last));
    } catch (RuntimeException e) {
      // Not kept: the next reconcile lists again, as when nothing was there.
      scans.remove(namespace, mine);
      mine.result().completeExceptionally(e);
      throw e;
    }
  }

  private Result<V> scan(String namespace, Result<V> last) {
    Map<String, Map<PodOwner, V>> byPolicy = new HashMap<>();
    Counter<V> counter = counter();
    String next = null;
    try {
      do {
        PodList page = pages.list(namespace, next);
        for (Pod pod : page.getItems()) {
          counter.count(pod, byPolicy);
        }
        next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
    } catch (KubernetesClientException e) {
      // Logged when the refusal starts or changes, not at every scan.
      if (!Integer.valueOf(e.getCode()).equals(lastRefused.put(namespace, e.getCode()))) {
        log.warn("Could not list the pods of namespace {}: HTTP {}", namespace, e.getCode());
      }
      // Tried again after the interval, not at every reconcile.
      return last == null ? new Result<>(Map.of()) : last;
    }
    lastRefused.remove(namespace);
    return new Result<>(byPolicy);
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
}
