package io.runtimepolicy.operator.reconciler;

import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.reconciler.WorkloadChanges.Changed;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A policy's outcome per governed workload as its reconciles left them, valid for the policy (its
 * uid) and settings they were computed with: a reconcile woken by a few workloads updates those and
 * summarises the rest from here. Touched only by that policy's reconciles, which JOSDK never runs
 * at once.
 */
final class PolicyOutcomes {

  private record Entry(String uid, WorkloadOutcome outcome) {}

  private final String policyUid;
  private final PolicySettings settings;
  private final Map<Changed, Entry> byWorkload = new HashMap<>();

  PolicyOutcomes(String policyUid, PolicySettings settings) {
    this.policyUid = policyUid;
    this.settings = settings;
  }

  PolicySettings settings() {
    return settings;
  }

  boolean computedFor(String uid, PolicySettings current) {
    return policyUid.equals(uid) && settings.equals(current);
  }

  /** Records a workload's outcome; the uid it replaces, when the name now holds another object. */
  Optional<String> put(Changed workload, String uid, WorkloadOutcome outcome) {
    Entry before = byWorkload.put(workload, new Entry(uid, outcome));
    return before == null || before.uid().equals(uid)
        ? Optional.empty()
        : Optional.of(before.uid());
  }

  /** Forgets a workload gone or no longer governed; its uid, if it was here. */
  Optional<String> remove(Changed workload) {
    return Optional.ofNullable(byWorkload.remove(workload)).map(Entry::uid);
  }

  /**
   * Workloads whose last outcome was an error (a refused or unanswered write): looked at again in
   * every reconcile, as a full pass would, so a transient failure heals with the next event.
   */
  List<Changed> failed() {
    return byWorkload.entrySet().stream()
        .filter(e -> e.getValue().outcome().state() == WorkloadState.Error)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Read by the gauge off the reconcile thread: a moment's stale count is fine there. */
  int size() {
    return byWorkload.size();
  }

  List<WorkloadOutcome> all() {
    return byWorkload.values().stream().map(Entry::outcome).toList();
  }
}
