package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.policy.Staleness;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Enforce and Audit set values in the workload, so its pods carry no mark to watch them by, and
 * adding one to every template would roll out every governed workload. Instead, a namespace whose
 * policy governs workloads has its pods listed in pages once per interval, each pod matched to its
 * workload in the caches ({@link PodWorkloads}); only the counts and a few names per workload are
 * kept.
 */
final class StalePodScan extends PodScan<StalePodScan.StalePods> {

  /**
   * One workload's running pods: how many, and its stale ones by reason.
   *
   * @param followsLimit some stale value is Go's GOMAXPROCS under a CPU limit
   */
  record StalePods(int running, Map<String, Stale> byReason, boolean followsLimit) {

    /** How many pods are stale for one reason, and the first few of their names in order. */
    record Stale(int count, List<String> names) {

      Stale plus(Stale other) {
        TreeSet<String> both = new TreeSet<>(names);
        both.addAll(other.names);
        return new Stale(count + other.count, both.stream().limit(PodCensus.NAMED_PODS).toList());
      }
    }

    static StalePods current() {
      return new StalePods(1, Map.of(), false);
    }

    static StalePods stale(String reason, String name, boolean followsLimit) {
      return new StalePods(1, Map.of(reason, new Stale(1, List.of(name))), followsLimit);
    }

    int stale() {
      return byReason.values().stream().mapToInt(Stale::count).sum();
    }

    StalePods plus(StalePods other) {
      Map<String, Stale> reasons = new TreeMap<>(byReason);
      other.byReason.forEach((reason, s) -> reasons.merge(reason, s, Stale::plus));
      return new StalePods(
          running + other.running, Map.copyOf(reasons), followsLimit || other.followsLimit);
    }
  }

  /** A pod's governed workload ({@link PodWorkloads#of(Pod, PodWorkloads.Governing)}). */
  @FunctionalInterface
  interface Owners {
    Optional<PodWorkloads.Owned> of(Pod pod, PodWorkloads.Governing governing);
  }

  private final Owners owners;
  private final PodWorkloads.Governing governance;

  StalePodScan(KubernetesClient client, PodWorkloads workloads, Clock clock, Duration interval) {
    this(unmarked(client), workloads::of, workloads.governance()::of, clock, interval);
  }

  StalePodScan(
      Pages pages,
      Owners owners,
      PodWorkloads.Governing governance,
      Clock clock,
      Duration interval) {
    super(pages, clock, interval);
    this.owners = owners;
    this.governance = governance;
  }

  @Override
  Counter<StalePods> counter() {
    // One lookup of each policy per scan, not one per pod.
    Map<String, Optional<Governance.Governing>> policies = new HashMap<>();
    PodWorkloads.Governing governing =
        (namespace, annotations) ->
            Annotations.governingPolicy(annotations)
                .flatMap(
                    name ->
                        policies.computeIfAbsent(name, n -> governance.of(namespace, annotations)));
    return (pod, byPolicy) -> {
      if (!PodCensus.running(pod)) {
        return;
      }
      owners
          .of(pod, governing)
          .ifPresent(
              owned -> {
                List<Staleness.StaleValue> stale =
                    Staleness.ofPod(
                        owned.governing().settings(),
                        owned.governing().policy(),
                        owned.annotations(),
                        owned.template(),
                        pod.getSpec());
                StalePods counted =
                    stale.isEmpty()
                        ? StalePods.current()
                        : StalePods.stale(
                            reason(pod),
                            pod.getMetadata().getName(),
                            stale.stream().anyMatch(Staleness.StaleValue::followsLimit));
                byPolicy
                    .computeIfAbsent(owned.governing().policy(), p -> new HashMap<>())
                    .merge(owned.owner(), counted, StalePods::plus);
              });
    };
  }

  /** A pod's spec moves only through {@code pods/resize}; otherwise it was admitted so. */
  static String reason(Pod pod) {
    return PodCensus.resizedInPlace(pod)
        ? Reasons.RESIZED_IN_PLACE
        : Reasons.RESOURCES_CHANGED_AT_ADMISSION;
  }
}
