package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A workload informer's cache. The opt-in is an annotation, which the API server cannot filter a
 * watch on, so every workload of the kind passes through here: relevant ones ({@link
 * Annotations#isRelevant}) are kept without managedFields and without the last-applied annotation;
 * every other one is reduced to a metadata skeleton. Memory then grows with governed workloads, not
 * with the cluster.
 */
public final class PrunedWorkloadStore<T extends HasMetadata> extends PruningStore<T> {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final Supplier<T> skeletons;
  private final Predicate<T> alsoKept;

  /** {@code skeletons}: a new, empty object of the kind. */
  public PrunedWorkloadStore(Supplier<T> skeletons) {
    this(skeletons, w -> false);
  }

  /**
   * {@code alsoKept}: workloads kept whole though their own annotations are not relevant (those
   * whose pod template opts in to Inject mode, whose identity the pods' Events need).
   */
  public PrunedWorkloadStore(Supplier<T> skeletons, Predicate<T> alsoKept) {
    this.skeletons = skeletons;
    this.alsoKept = alsoKept;
  }

  @Override
  T prune(T workload) {
    ObjectMeta meta = workload.getMetadata();
    if (Annotations.isRelevant(meta.getAnnotations()) || alsoKept.test(workload)) {
      // Same object the informer hands to event handlers: trimming these is safe for them. The
      // operator reads its own record from an annotation, never from managedFields.
      meta.setManagedFields(null);
      meta.getAnnotations().remove(LAST_APPLIED);
      return workload;
    }
    // What the informer and JOSDK read of an ungoverned workload: its identity, its version, and
    // the annotations that could make it governed. Namespaces are shared, not copied.
    T skeleton = skeletons.get();
    skeleton.setMetadata(
        new ObjectMetaBuilder()
            .withName(meta.getName())
            .withNamespace(meta.getNamespace() == null ? null : meta.getNamespace().intern())
            .withResourceVersion(meta.getResourceVersion())
            .build());
    skeleton.getMetadata().setAnnotations(ownAnnotations(meta.getAnnotations()));
    return skeleton;
  }

  /**
   * Kept on skeletons so the mapper can tell which policy an un-governed workload left. Never null:
   * JOSDK reads annotations of cached objects (a null map threw once per object).
   */
  static Map<String, String> ownAnnotations(Map<String, String> annotations) {
    if (annotations == null || annotations.isEmpty()) {
      return Map.of();
    }
    Map<String, String> own =
        annotations.entrySet().stream()
            .filter(e -> e.getKey().startsWith("runtimepolicy.io/"))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    return own.isEmpty() ? Map.of() : own;
  }
}
