package io.runtimepolicy.operator.reconciler;

import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was last reported per workload, so an Event is written when a finding appears, not on every
 * resync; and the outcome of each workload that needed nothing, so an unchanged one is not
 * evaluated again when another workload of the namespace wakes the policy. Kept per policy; a full
 * pass replaces it wholesale, so it holds only workloads that policy still governs. After a restart
 * each finding is reported once more.
 */
final class FindingMemo {

  /** An outcome and what it was computed from. */
  private record Settled(
      String resourceVersion, PolicySettings settings, WorkloadOutcome outcome) {}

  private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> current = new ConcurrentHashMap<>();
  private final Map<String, Settled> settled = new ConcurrentHashMap<>();
  private final Map<String, Settled> settledNow = new ConcurrentHashMap<>();
  private volatile boolean committed;

  /**
   * The outcome of the last reconcile for this workload, if it needed nothing then and neither the
   * workload (its resourceVersion) nor the policy's settings changed since; what was reported for
   * it carries over.
   */
  Optional<WorkloadOutcome> reuse(String uid, String resourceVersion, PolicySettings settings) {
    Settled last = settled.get(uid);
    if (last == null
        || !last.resourceVersion().equals(resourceVersion)
        || !last.settings().equals(settings)) {
      return Optional.empty();
    }
    settledNow.put(uid, last);
    Set<String> keys = reported.get(uid);
    if (keys != null) {
      current.put(uid, keys);
    }
    return Optional.of(last.outcome());
  }

  /** Remembers an outcome that needed no write, for {@link #reuse}. */
  void settled(String uid, String resourceVersion, PolicySettings settings, WorkloadOutcome o) {
    settledNow.put(uid, new Settled(resourceVersion, settings, o));
  }

  /**
   * Whether a reconcile of this policy has ended since the operator started. Before that, what is
   * seen was there before the start (an operator restart must not announce every workload's values
   * again); findings are still reported once more, since they ask for action.
   */
  boolean committedOnce() {
    return committed;
  }

  /** The messages among {@code messages} not reported for this workload last time. */
  List<String> newSince(String deploymentUid, List<String> messages) {
    // Held per governed workload until the next reconcile; most have no message at all.
    current.put(deploymentUid, Set.copyOf(messages));
    Set<String> before = reported.getOrDefault(deploymentUid, Set.of());
    return messages.stream().filter(m -> !before.contains(m)).distinct().toList();
  }

  /**
   * Ends a reconcile that looked at some workloads only: what was seen of {@code visited} replaces
   * what was known of them, {@code gone} is forgotten, the rest stays.
   */
  void commitSome(Set<String> visited, Set<String> gone) {
    for (Set<String> uids : List.of(visited, gone)) {
      uids.forEach(reported::remove);
      uids.forEach(settled::remove);
    }
    reported.putAll(current);
    current.clear();
    settled.putAll(settledNow);
    settledNow.clear();
    committed = true;
  }

  /** Workload entries held. */
  int size() {
    return reported.size() + current.size() + settled.size() + settledNow.size();
  }

  /** Ends a reconcile: what was seen becomes what was reported; the rest is forgotten. */
  void commit() {
    reported.clear();
    reported.putAll(current);
    current.clear();
    settled.clear();
    settled.putAll(settledNow);
    settledNow.clear();
    committed = true;
  }
}
