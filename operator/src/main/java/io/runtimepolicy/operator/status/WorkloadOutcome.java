package io.runtimepolicy.operator.status;

import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.util.List;

/**
 * Where one governed workload stands after a reconcile. {@code flagsMatch} is separate from {@code
 * state}: a workload with a probe violation can still carry the right values.
 *
 * @param kind Deployment, StatefulSet, DaemonSet, CronJob or Job
 */
public record WorkloadOutcome(
    String kind,
    String name,
    WorkloadState state,
    boolean flagsMatch,
    List<ContainerResult> containers,
    List<String> findings) {}
