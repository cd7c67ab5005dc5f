package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.runtimepolicy.api.v1alpha1.CpuOrigin;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Inject mode's status, from the pods alone: per owning workload, how many running pods carry what
 * the policy computes now (current), were injected with what it computed before or were resized in
 * place since (stale, by reason), or were created without injection (untuned). Pure: the informer
 * and the scan bring the pods.
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
   * @param eventTexts by reason, an Event's whole text where the finding's is cut for status (the
   *     resized pods' names)
   */
  record Entry(
      PodOwner owner,
      WorkloadOutcome outcome,
      List<Finding> findings,
      Map<String, String> eventTexts) {

    /** The text of the Event for {@code finding}. */
    String eventText(Finding finding) {
      return eventTexts.getOrDefault(finding.reason(), finding.message());
    }
  }

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
          List<Pod> resized = new ArrayList<>();
          int upToDate = 0;
          for (Pod pod : pods) {
            if (current.test(pod)) {
              upToDate++;
            } else if (resizedInPlace(pod)) {
              resized.add(pod);
            }
          }
          Untuned missed = untuned.get(owner);
          int stale = pods.size() - upToDate;
          PodCounts counts = new PodCounts(upToDate, stale, missed == null ? 0 : missed.count());
          if (stale > 0) {
            Map<String, Integer> reasons = new TreeMap<>();
            if (stale > resized.size()) {
              reasons.put(Reasons.POLICY_CHANGED, stale - resized.size());
            }
            if (!resized.isEmpty()) {
              reasons.put(Reasons.RESIZED_IN_PLACE, resized.size());
            }
            counts.setStaleReasons(reasons);
          }
          Pod newest = pods.stream().max(NEWEST).orElse(missed == null ? null : missed.newest());
          entries.add(entry(owner, settings, policy, newest, counts, resized));
        });
    return entries;
  }

  /** At most this many pods are named in a finding; the count is always exact. */
  static final int NAMED_PODS = 3;

  /**
   * How many pods, the fix, then which pods: status cuts the text at its usual length, the Event
   * carries it whole.
   */
  private static String resizedText(
      PodOwner owner, WorkloadEvaluation evaluation, List<Pod> resized) {
    List<String> names = resized.stream().map(p -> p.getMetadata().getName()).sorted().toList();
    boolean goLimit =
        evaluation.containers().stream()
            .anyMatch(c -> c.gomaxprocs() != null && c.cpuOrigin() == CpuOrigin.Limit);
    return resizedText(owner, goLimit, resized.size(), names);
  }

  /** {@code names}: the first stale pods' names, in order; {@code count} of them in all. */
  static String resizedText(PodOwner owner, boolean goLimit, int count, List<String> names) {
    return podsText(
        count,
        "resized in place keep values for their old resources",
        owner.restartAdvice()
            + (goLimit
                ? ", or set go.leaveLimitToRuntime: true so Go 1.25+ follows the CPU limit live"
                : ""),
        names);
  }

  /** {@code N pods <what>: <fix> (pods a, b, c and 2 more)}. */
  static String podsText(int count, String what, String fix, List<String> names) {
    String shown = String.join(", ", names.subList(0, Math.min(NAMED_PODS, names.size())));
    int more = count - Math.min(NAMED_PODS, names.size());
    if (more > 0) {
      shown += " and " + more + " more";
    }
    return count + " pods " + what + ": " + fix + " (pods " + shown + ")";
  }

  /** By creation time, then name: the same pod wins whichever list it came from. */
  static final Comparator<Pod> NEWEST =
      Comparator.comparing(
              (Pod p) ->
                  p.getMetadata().getCreationTimestamp() == null
                      ? ""
                      : p.getMetadata().getCreationTimestamp())
          .thenComparing(p -> p.getMetadata().getName() == null ? "" : p.getMetadata().getName());

  /**
   * Whether a pod's spec changed after its creation: a pod's env cannot change, and {@code
   * pods/resize} is how its resources do, so a stale pod whose generation moved was resized.
   */
  static boolean resizedInPlace(Pod pod) {
    Long generation = pod.getMetadata().getGeneration();
    return generation != null && generation > 1;
  }

  private static Entry entry(
      PodOwner owner,
      PolicySettings settings,
      String policy,
      Pod newest,
      PodCounts counts,
      List<Pod> resized) {
    WorkloadEvaluation evaluation =
        Tuning.plan(settings, policy, newest.getMetadata().getAnnotations(), newest.getSpec())
            .evaluation();
    List<Finding> findings = new ArrayList<>(evaluation.findings());
    int policyChanged = counts.getStale() - resized.size();
    if (policyChanged > 0) {
      findings.add(
          Finding.notice(
              Reasons.PODS_STALE,
              null,
              policyChanged
                  + " pods run values the policy no longer computes: "
                  + owner.restartAdvice()));
    }
    Map<String, String> eventTexts = new HashMap<>();
    if (!resized.isEmpty()) {
      String text = resizedText(owner, evaluation, resized);
      findings.add(Finding.notice(Reasons.RESIZED_IN_PLACE, null, text));
      eventTexts.put(Reasons.RESIZED_IN_PLACE, text);
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
    return new Entry(owner, outcome, List.copyOf(findings), Map.copyOf(eventTexts));
  }
}
