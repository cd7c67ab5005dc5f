package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.RuntimeProfile;
import io.runtimepolicy.operator.workload.WorkloadKind;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A workload informer's cache. The opt-in is an annotation, which the API server cannot filter a
 * watch on, so every workload of the kind passes through here. Relevant ones ({@link
 * Annotations#isRelevant}) are kept as the engine reads them: identity, their own annotations and
 * the pod template's containers ({@link CompactObjects}); one that only names a policy as a
 * metadata skeleton; any other not at all. Memory then grows with governed workloads, not with the
 * cluster, and little with those.
 */
public final class PrunedWorkloadStore<T extends HasMetadata> extends PruningStore<T> {

  private final WorkloadKind<T> kind;
  private final Predicate<T> alsoKept;

  public PrunedWorkloadStore(WorkloadKind<T> kind) {
    this(kind, w -> false);
  }

  /**
   * {@code alsoKept}: workloads kept as governed ones though their own annotations are not relevant
   * (those whose pod template opts in to Inject mode, whose identity the pods' Events need).
   */
  public PrunedWorkloadStore(WorkloadKind<T> kind, Predicate<T> alsoKept) {
    this.kind = kind;
    this.alsoKept = alsoKept;
  }

  @Override
  T prune(T workload) {
    ObjectMeta meta = workload.getMetadata();
    if (Annotations.isRelevant(meta.getAnnotations()) || alsoKept.test(workload)) {
      return CompactObjects.withoutEmptiesAround(
          kind.withTemplate(
              CompactObjects.governed(meta), CompactObjects.template(kind.podTemplate(workload))));
    }
    if (ownAnnotations(meta.getAnnotations()).isEmpty()) {
      // Most of a cluster: nothing here could make it governed, or name a policy it left. Its next
      // update reaches the mapper as an add, which concerns no policy either.
      return null;
    }
    return CompactObjects.withoutEmptiesAround(
        kind.withTemplate(CompactObjects.skeleton(meta), null));
  }

  /**
   * Kept on skeletons so the mapper can tell which policy an un-governed workload left. Never null:
   * JOSDK reads annotations of cached objects (a null map threw once per object). Called for every
   * update of every workload, so nothing is allocated when there is none.
   */
  static Map<String, String> ownAnnotations(Map<String, String> annotations) {
    if (annotations == null || annotations.isEmpty()) {
      return Map.of();
    }
    Map<String, String> own = null;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      if (e.getKey().startsWith(RuntimeProfile.PREFIX) && e.getValue() != null) {
        if (own == null) {
          own = new HashMap<>();
        }
        own.put(e.getKey(), e.getValue());
      }
    }
    return own == null ? Map.of() : Map.copyOf(own);
  }
}
