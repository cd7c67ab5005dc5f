package io.runtimepolicy.operator.status;

import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.api.v1alpha1.PodCounts;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.RuleResult;
import java.util.List;

/**
 * Where one governed workload stands after a reconcile. {@code flagsMatch} is separate from {@code
 * state}: a workload with a probe violation can still carry the right values.
 *
 * @param kind Deployment, StatefulSet, DaemonSet, CronJob or Job; in Inject mode any pod owner
 * @param findings every finding, each with its rule; the status shows their messages
 * @param pods Inject mode's count of the workload's running pods; null in the other modes
 * @param tuning the state the managed values alone give (never Violation from a probe), which the
 *     rule {@code runtime-tuning} reads; see {@link RuleResult#of}
 * @param probed whether some governed container has a liveness probe (rule {@code probe-timing})
 */
public record WorkloadOutcome(
    String kind,
    String name,
    WorkloadState state,
    boolean flagsMatch,
    List<ContainerResult> containers,
    List<Finding> findings,
    PodCounts pods,
    WorkloadState tuning,
    boolean probed) {

  public WorkloadOutcome {
    containers = List.copyOf(containers);
    findings = List.copyOf(findings);
  }

  /** A workload object's outcome (Enforce, Audit) whose tuning is its state, with no probes. */
  public WorkloadOutcome(
      String kind,
      String name,
      WorkloadState state,
      boolean flagsMatch,
      List<ContainerResult> containers,
      List<Finding> findings) {
    this(kind, name, state, flagsMatch, containers, findings, null, state, false);
  }

  /** The findings as the status lists them: each message once, in order. */
  public List<String> messages() {
    return findings.stream().map(Finding::message).distinct().toList();
  }

  /** One result per rule ({@link RuleResult#of}). */
  public List<RuleResult> rules() {
    return RuleResult.of(tuning, probed, findings);
  }
}
