package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.runtimepolicy.api.v1alpha1.PodCounts;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.ContainerEvaluation;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.policy.Tuning;
import io.runtimepolicy.operator.policy.WorkloadEvaluation;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import io.runtimepolicy.operator.workload.PodOwner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Inject mode's status, from the pods alone: per owning workload, how many running pods carry what
 * the policy computes now (current), were injected with what it computed before (stale), or were
 * created without injection (untuned). Pure: the informer and the scan bring the pods.
 */
final class PodCensus {

  /** Pods that no longer run: a finished Job's pods are not asked to restart. */
  private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

  /** Governed pods the webhook never saw, per owner, and the newest of them. */
  record Untuned(int count, Pod newest) {

    /** Both counts together, with the newer of the two pods. */
    Untuned plus(Untuned other) {
      return new Untuned(
          count + other.count, NEWEST.compare(newest, other.newest) >= 0 ? newest : other.newest);
    }
  }

  /**
   * One workload's line.
   *
   * @param findings every finding, the pods' own last, for status and Events
   */
  record Entry(PodOwner owner, WorkloadOutcome outcome, List<Finding> findings) {}

  private PodCensus() {}

  /** Whether a pod still runs (or will): neither terminating nor finished. */
  static boolean running(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && (pod.getStatus() == null || !FINISHED.contains(pod.getStatus().getPhase()));
  }

  /**
   * {@code injected}: the running pods the policy governs that carry the injected label; {@code
   * untuned}: those without it, per owner.
   */
  static List<Entry> count(
      PolicySettings settings, String policy, List<Pod> injected, Map<PodOwner, Untuned> untuned) {
    return count(
        settings,
        policy,
        injected,
        untuned,
        pod ->
            Injection.current(settings, policy, pod.getMetadata().getAnnotations(), pod.getSpec()));
  }

  /**
   * As above, with {@code current} deciding whether an injected pod carries what {@code settings}
   * compute ({@link Injection#current}, or a memo of it).
   */
  static List<Entry> count(
      PolicySettings settings,
      String policy,
      List<Pod> injected,
      Map<PodOwner, Untuned> untuned,
      Predicate<Pod> current) {
    Map<PodOwner, List<Pod>> byOwner = new LinkedHashMap<>();
    for (Pod pod : injected) {
      byOwner.computeIfAbsent(PodOwner.of(pod), o -> new ArrayList<>()).add(pod);
    }
    untuned.keySet().forEach(owner -> byOwner.computeIfAbsent(owner, o -> new ArrayList<>()));
    List<Entry> entries = new ArrayList<>(byOwner.size());
    byOwner.forEach(
        (owner, pods) -> {
          int upToDate = (int) pods.stream().filter(current).count();
          Untuned missed = untuned.get(owner);
          int stale = pods.size() - upToDate;
          PodCounts counts = new PodCounts(upToDate, stale, missed == null ? 0 : missed.count());
          Pod newest = pods.stream().max(NEWEST).orElse(missed == null ? null : missed.newest());
          entries.add(entry(owner, settings, policy, newest, counts));
        });
    return entries;
  }

  /** By creation time, then name: the same pod wins whichever list it came from. */
  static final Comparator<Pod> NEWEST =
      Comparator.comparing(
              (Pod p) ->
                  p.getMetadata().getCreationTimestamp() == null
                      ? ""
                      : p.getMetadata().getCreationTimestamp())
          .thenComparing(p -> p.getMetadata().getName() == null ? "" : p.getMetadata().getName());

  private static Entry entry(
      PodOwner owner, PolicySettings settings, String policy, Pod newest, PodCounts counts) {
    WorkloadEvaluation evaluation =
        Tuning.plan(settings, policy, newest.getMetadata().getAnnotations(), newest.getSpec())
            .evaluation();
    List<Finding> findings = new ArrayList<>(evaluation.findings());
    if (counts.getStale() > 0) {
      findings.add(
          Finding.notice(
              Reasons.PODS_STALE,
              null,
              counts.getStale()
                  + " pods run values the policy no longer computes: "
                  + owner.restartAdvice()));
    }
    if (counts.getUntuned() > 0) {
      findings.add(
          Finding.notice(
              Reasons.PODS_UNTUNED,
              null,
              counts.getUntuned()
                  + " pods created untuned (no webhook): "
                  + owner.restartAdvice()));
    }
    boolean allCurrent = counts.getStale() == 0 && counts.getUntuned() == 0;
    WorkloadState state = evaluation.state();
    if (!allCurrent && state == WorkloadState.Tuned) {
      state = WorkloadState.Pending;
    }
    boolean flagsMatch =
        allCurrent && evaluation.containers().stream().anyMatch(ContainerEvaluation::managed);
    WorkloadState tuning = evaluation.tuningState();
    if (!allCurrent && tuning == WorkloadState.Tuned) {
      tuning = WorkloadState.Pending;
    }
    WorkloadOutcome outcome =
        new WorkloadOutcome(
            owner.kind(),
            owner.name(),
            state,
            flagsMatch,
            Outcomes.containers(evaluation),
            findings,
            counts,
            tuning,
            evaluation.probed());
    return new Entry(owner, outcome, List.copyOf(findings));
  }
}
