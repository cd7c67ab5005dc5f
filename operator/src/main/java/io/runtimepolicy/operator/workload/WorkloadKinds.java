package io.runtimepolicy.operator.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/** Every kind the operator governs, in the order status and docs list them. */
public final class WorkloadKinds {

  private static final List<WorkloadKind<?>> ALL =
      List.of(
          new DeploymentKind(),
          new StatefulSetKind(),
          new DaemonSetKind(),
          new CronJobKind(),
          new JobKind());

  private WorkloadKinds() {}

  public static List<WorkloadKind<?>> all() {
    return ALL;
  }

  /** The Pod, which Inject mode tunes at its creation. */
  public static WorkloadKind<?> pod() {
    return PodKind.INSTANCE;
  }

  /** What the admission webhook reviews: a governed kind, or a Pod (Inject mode). */
  public static Optional<WorkloadKind<?>> reviewed(String group, String version, String kind) {
    if (PodKind.INSTANCE.group().equals(group)
        && PodKind.INSTANCE.version().equals(version)
        && PodKind.INSTANCE.kind().equals(kind)) {
      return Optional.of(PodKind.INSTANCE);
    }
    return find(group, version, kind);
  }

  /** The kind with this API group and kind name (version v1), if governed. */
  public static Optional<WorkloadKind<?>> find(String group, String version, String kind) {
    return ALL.stream()
        .filter(k -> k.group().equals(group) && k.version().equals(version))
        .filter(k -> k.kind().equals(kind))
        .findFirst();
  }

  /** The kind of a model object, if governed. */
  public static Optional<WorkloadKind<?>> of(HasMetadata workload) {
    return ALL.stream().filter(k -> k.type().isInstance(workload)).findFirst();
  }
}
