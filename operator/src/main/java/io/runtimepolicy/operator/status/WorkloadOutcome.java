package io.runtimepolicy.operator.status;

import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.api.v1alpha1.PodCounts;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.util.List;

/**
 * Where one governed workload stands after a reconcile. {@code flagsMatch} is separate from {@code
 * state}: a workload with a probe violation can still carry the right values.
 *
 * @param kind Deployment, StatefulSet, DaemonSet, CronJob or Job; in Inject mode any pod owner
 * @param pods Inject mode's count of the workload's running pods; null in the other modes
 */
public record WorkloadOutcome(
    String kind,
    String name,
    WorkloadState state,
    boolean flagsMatch,
    List<ContainerResult> containers,
    List<String> findings,
    PodCounts pods) {

  /** A workload object's outcome (Enforce, Audit), with no pod counts. */
  public WorkloadOutcome(
      String kind,
      String name,
      WorkloadState state,
      boolean flagsMatch,
      List<ContainerResult> containers,
      List<String> findings) {
    this(kind, name, state, flagsMatch, containers, findings, null);
  }
}
