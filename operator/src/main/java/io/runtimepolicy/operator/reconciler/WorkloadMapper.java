package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Maps a workload event to the policies that must look at it: the one it names and the one whose
 * values it carries. JOSDK maps only the new object of an update, so a workload moving from policy
 * A to B, or losing its annotation, would leave A stale: the update filter, which sees both objects
 * and runs just before the mapper on the same thread, hands the old policies over. The delete
 * filter ({@link #deleted}), which runs before the mapper on a delete, tells {@code gone}.
 */
final class WorkloadMapper<T extends HasMetadata>
    implements SecondaryToPrimaryMapper<T>, OnUpdateFilter<T>, HeldState.Holder {

  private final Map<ResourceID, Set<ResourceID>> leftBehind = new ConcurrentHashMap<>();
  private final String kind;
  private final DefaultPolicyProvisioner provisioner;
  private final Predicate<String> watched;
  private final BiConsumer<ResourceID, String> changed;
  private final Consumer<HeldState.Workload> gone;

  WorkloadMapper(DefaultPolicyProvisioner provisioner, Predicate<String> watched) {
    this("Deployment", provisioner, watched, (policy, workload) -> {}, workload -> {});
  }

  /**
   * {@code kind}: of the workloads it maps; {@code changed}: told each policy an event maps to,
   * with the workload's name; {@code gone}: told each workload deleted.
   */
  WorkloadMapper(
      String kind,
      DefaultPolicyProvisioner provisioner,
      Predicate<String> watched,
      BiConsumer<ResourceID, String> changed,
      Consumer<HeldState.Workload> gone) {
    this.kind = kind;
    this.provisioner = provisioner;
    this.watched = watched;
    this.changed = changed;
    this.gone = gone;
  }

  /**
   * Updates that can change what a policy computes: it gained or lost a workload, or a relevant
   * workload's spec (its generation) or {@code runtimepolicy.io/} annotations changed. Status
   * updates, which controllers write several times per rollout, and other metadata would each
   * re-evaluate the whole namespace for nothing.
   */
  @Override
  public boolean accept(T newWorkload, T oldWorkload) {
    if (!watched.test(newWorkload.getMetadata().getNamespace())) {
      return false;
    }
    Set<ResourceID> before = policies(oldWorkload);
    Set<ResourceID> after = policies(newWorkload);
    if (!after.containsAll(before)) {
      leftBehind.put(ResourceID.fromResource(newWorkload), before);
    }
    if (before.isEmpty() && after.isEmpty()) {
      return false;
    }
    return !before.equals(after)
        || !Objects.equals(
            oldWorkload.getMetadata().getGeneration(), newWorkload.getMetadata().getGeneration())
        || !ownAnnotations(oldWorkload).equals(ownAnnotations(newWorkload));
  }

  /** The delete filter: every delete is passed on, since it is the mapper that tells policies. */
  boolean deleted(T workload) {
    var meta = workload.getMetadata();
    gone.accept(new HeldState.Workload(kind, meta.getNamespace(), meta.getName(), meta.getUid()));
    return true;
  }

  @Override
  public int size() {
    return leftBehind.size();
  }

  @Override
  public void workloadGone(HeldState.Workload workload) {
    if (workload.kind().equals(kind)) {
      leftBehind.remove(new ResourceID(workload.name(), workload.namespace()));
    }
  }

  private static Map<String, String> ownAnnotations(HasMetadata workload) {
    return PrunedWorkloadStore.ownAnnotations(workload.getMetadata().getAnnotations());
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(T workload) {
    if (!watched.test(workload.getMetadata().getNamespace())) {
      return Set.of();
    }
    Set<ResourceID> ids = new HashSet<>(policies(workload));
    Set<ResourceID> before = leftBehind.remove(ResourceID.fromResource(workload));
    if (before != null) {
      ids.addAll(before);
    }
    Annotations.governingPolicy(workload.getMetadata().getAnnotations())
        .filter(Annotations.DEFAULT_POLICY::equals)
        .ifPresent(name -> provisioner.ensureDefaultPolicy(workload.getMetadata().getNamespace()));
    ids.forEach(id -> changed.accept(id, workload.getMetadata().getName()));
    return ids;
  }

  private static Set<ResourceID> policies(HasMetadata workload) {
    String namespace = workload.getMetadata().getNamespace();
    Set<ResourceID> ids = new HashSet<>(2);
    Annotations.concernedPolicies(workload.getMetadata().getAnnotations())
        .forEach(name -> ids.add(new ResourceID(name, namespace)));
    return ids;
  }
}
