package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload against its policy.
 *
 * @param state Tuned, Violation, Pending or Skipped (Error is the reconciler's to set)
 * @param containers the governed containers, in pod order
 * @param findings every finding: workload-level first, then each container's in pod order
 * @param optionsEnvVar the env var the Java flags live in
 */
public record WorkloadEvaluation(
    WorkloadState state,
    List<ContainerEvaluation> containers,
    List<Finding> findings,
    String optionsEnvVar) {

  /** Lists are copied and never null; a null env var name means JAVA_TOOL_OPTIONS. */
  public WorkloadEvaluation {
    containers = containers == null ? List.of() : List.copyOf(containers);
    findings = findings == null ? List.of() : List.copyOf(findings);
    optionsEnvVar = optionsEnvVar == null ? PolicySettings.DEFAULT_OPTIONS_ENV_VAR : optionsEnvVar;
  }

  /** For callers that built one before optionsEnvVar existed; assumes JAVA_TOOL_OPTIONS. */
  public WorkloadEvaluation(
      WorkloadState state, List<ContainerEvaluation> containers, List<Finding> findings) {
    this(state, containers, findings, null);
  }

  /** This evaluation with {@code first} ahead of its findings; the state is unchanged. */
  public WorkloadEvaluation withFindingsFirst(List<Finding> first) {
    if (first.isEmpty()) {
      return this;
    }
    List<Finding> all = new ArrayList<>(first);
    all.addAll(findings);
    return new WorkloadEvaluation(state, containers, all, optionsEnvVar);
  }

  /**
   * This evaluation when its plan cannot be applied: Skipped, because of {@code why}; a Violation
   * stays one.
   */
  public WorkloadEvaluation withheld(Finding why) {
    List<Finding> all = new ArrayList<>(findings);
    all.add(why);
    WorkloadState kept = state == WorkloadState.Violation ? state : WorkloadState.Skipped;
    return new WorkloadEvaluation(kept, containers, all, optionsEnvVar);
  }

  /** Whether Enforce would write: some container {@link ContainerEvaluation#changes()}. */
  public boolean needsChange() {
    return containers.stream().anyMatch(ContainerEvaluation::changes);
  }

  /**
   * Container name to the desired value of the Java options variable ({@link #optionsEnvVar}), for
   * each Java container the operator manages, in pod order. Other runtimes: {@link #desiredEnv}.
   */
  public Map<String, String> desiredValues() {
    Map<String, String> values = new LinkedHashMap<>();
    for (ContainerEvaluation container : containers) {
      String value = container.desired().get(optionsEnvVar);
      if (value != null && container.change(optionsEnvVar).isPresent()) {
        values.put(container.name(), value);
      }
    }
    return values;
  }

  /** Container name to variable to desired value, for each managed container, in pod order. */
  public Map<String, Map<String, String>> desiredEnv() {
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    for (ContainerEvaluation container : containers) {
      if (container.managed()) {
        env.put(container.name(), container.desired());
      }
    }
    return env;
  }

  /**
   * The state the managed values alone give, whatever the probes: Skipped when no container has a
   * value the operator manages, Pending when one would change, else Tuned. The rule {@code
   * runtime-tuning} reads it ({@link RuleResult#of}).
   */
  public WorkloadState tuningState() {
    return tuningState(containers);
  }

  static WorkloadState tuningState(List<ContainerEvaluation> containers) {
    if (containers.stream().noneMatch(ContainerEvaluation::managed)) {
      return WorkloadState.Skipped;
    }
    return containers.stream().anyMatch(ContainerEvaluation::changes)
        ? WorkloadState.Pending
        : WorkloadState.Tuned;
  }

  /** Whether some governed container has a liveness probe, which the rule probe-timing checks. */
  public boolean probed() {
    return containers.stream().anyMatch(c -> c.livenessTimeoutSeconds() != null);
  }

  /** Whether any finding is a Violation. */
  public boolean hasViolation() {
    return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.Violation);
  }

  /**
   * For admission warnings: a Notice {@code ManagedFlagsDiffer} per container and managed value
   * whose current value is present but differs from what the policy computes ({@link
   * EnvChange#drift}), e.g. {@code "container app: JAVA_TOOL_OPTIONS has
   * -XX:ActiveProcessorCount=16, the policy computes 2"} or {@code "container proxy: GOMAXPROCS is
   * \"64\", the policy computes 2"}. One per value, not one per container, so each message stays
   * whole under the length limit. Missing values are not drift; numerically equal ones neither.
   */
  public List<Finding> flagDrift() {
    List<Finding> drift = new ArrayList<>();
    for (ContainerEvaluation container : containers) {
      for (EnvChange change : container.env()) {
        for (String detail : change.drift(container.current().get(change.variable()))) {
          drift.add(Finding.notice(Reasons.MANAGED_FLAGS_DIFFER, container.name(), detail));
        }
      }
    }
    return drift;
  }
}
