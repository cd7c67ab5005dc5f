package io.runtimepolicy.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the reconciler remembers of each policy from one reconcile to the next: its {@link
 * FindingMemo}, its {@link PolicyOutcomes}, and whether it was told Inject mode is not enabled. Per
 * workload, the reconcile a workload's delete wakes forgets it there; the rest goes with the
 * policy.
 */
final class PolicyMemos implements HeldState.Holder {

  private final Map<ResourceID, FindingMemo> memos = new ConcurrentHashMap<>();
  private final Map<ResourceID, PolicyOutcomes> outcomes = new ConcurrentHashMap<>();
  private final Set<ResourceID> injectRefused = ConcurrentHashMap.newKeySet();

  FindingMemo memo(ResourceID policy) {
    return memos.computeIfAbsent(policy, p -> new FindingMemo());
  }

  /** The outcomes its last reconcile left; null before the first. */
  PolicyOutcomes outcomes(ResourceID policy) {
    return outcomes.get(policy);
  }

  void outcomes(ResourceID policy, PolicyOutcomes known) {
    outcomes.put(policy, known);
  }

  /** Whether this is the first time the policy is told that Inject mode is not enabled. */
  boolean firstInjectRefusal(ResourceID policy) {
    return injectRefused.add(policy);
  }

  /** Policies and, within them, workloads. */
  @Override
  public int size() {
    return memos.size()
        + outcomes.size()
        + injectRefused.size()
        + memos.values().stream().mapToInt(FindingMemo::size).sum()
        + outcomes.values().stream().mapToInt(PolicyOutcomes::size).sum();
  }

  @Override
  public void policyGone(ResourceID policy) {
    memos.remove(policy);
    outcomes.remove(policy);
    injectRefused.remove(policy);
  }
}
