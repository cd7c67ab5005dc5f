package io.runtimepolicy.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workloads whose events woke each policy since its last reconcile, so that reconcile looks at
 * those alone instead of every workload of the namespace: a burst of a thousand creates must not
 * cost a thousand passes over a growing namespace. The event mappers mark a workload after the
 * informer's cache holds its new state and before the event is queued; the reconcile takes the
 * marks. A mark lost to a race leaves the set empty, and an empty set means a full pass, so a lost
 * mark costs time, never a missed workload.
 */
final class WorkloadChanges implements HeldState.Holder {

  /** One workload of the policy's namespace. */
  record Changed(String kind, String name) {}

  private final Map<ResourceID, Set<Changed>> pending = new ConcurrentHashMap<>();

  void mark(ResourceID policy, String kind, String name) {
    pending
        .computeIfAbsent(policy, p -> ConcurrentHashMap.newKeySet())
        .add(new Changed(kind, name));
  }

  /** The workloads marked for {@code policy} since the last call, now unmarked. */
  Set<Changed> take(ResourceID policy) {
    Set<Changed> marked = pending.remove(policy);
    return marked == null ? Set.of() : marked;
  }

  @Override
  public int size() {
    return pending.size();
  }

  /** Marks made after its last reconcile, by events that raced its delete. */
  @Override
  public void policyGone(ResourceID policy) {
    pending.remove(policy);
  }
}
