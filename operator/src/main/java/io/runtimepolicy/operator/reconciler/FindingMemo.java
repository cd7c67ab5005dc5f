package io.runtimepolicy.operator.reconciler;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was last reported per workload, so an Event is written when a finding appears, not on every
 * resync. Kept per policy and replaced wholesale each reconcile, so it holds only workloads that
 * policy still governs. After a restart each finding is reported once more.
 */
final class FindingMemo {

  private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> current = new ConcurrentHashMap<>();
  private volatile boolean committed;

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
    current.put(deploymentUid, new HashSet<>(messages));
    Set<String> before = reported.getOrDefault(deploymentUid, Set.of());
    return messages.stream().filter(m -> !before.contains(m)).distinct().toList();
  }

  /** Ends a reconcile: what was seen becomes what was reported; the rest is forgotten. */
  void commit() {
    reported.clear();
    reported.putAll(current);
    current.clear();
    committed = true;
  }
}
