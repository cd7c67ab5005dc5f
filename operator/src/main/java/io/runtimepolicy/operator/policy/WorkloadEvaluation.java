package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.math.BigDecimal;
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
 * @param optionsEnvVar the env var the flags live in, for messages
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

  /** Whether Enforce would write: some container {@link ContainerEvaluation#changes()}. */
  public boolean needsChange() {
    return containers.stream().anyMatch(ContainerEvaluation::changes);
  }

  /** Container name to desired value, for each container the operator manages, in pod order. */
  public Map<String, String> desiredValues() {
    Map<String, String> values = new LinkedHashMap<>();
    for (ContainerEvaluation container : containers) {
      if (container.desiredValue() != null) {
        values.put(container.name(), container.desiredValue());
      }
    }
    return values;
  }

  /** Whether any finding is a Violation. */
  public boolean hasViolation() {
    return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.Violation);
  }

  /**
   * For admission warnings: a Notice {@code ManagedFlagsDiffer} per container and managed flag
   * whose current value is present but differs from what the policy computes, e.g. {@code
   * "container app: JAVA_TOOL_OPTIONS has -XX:ActiveProcessorCount=16, the policy computes 2"}. One
   * per flag, not one per container, so each message stays whole under the length limit. Missing
   * flags are not drift; numerically equal values ({@code 75} and {@code 75.0}) neither.
   */
  public List<Finding> flagDrift() {
    List<Finding> drift = new ArrayList<>();
    for (ContainerEvaluation container : containers) {
      if (container.desiredValue() == null || container.currentValue() == null) {
        continue;
      }
      Map<String, String> now = JavaToolOptions.managedFlags(container.currentValue());
      JavaToolOptions.managedFlags(container.desiredValue())
          .forEach(
              (flag, wanted) -> {
                String current = now.get(flag);
                if (current != null && !sameValue(current, wanted)) {
                  drift.add(drift(container.name(), flag, current, wanted));
                }
              });
    }
    return drift;
  }

  private Finding drift(String container, String flag, String current, String wanted) {
    String has = current.isEmpty() ? flag : flag + "=" + current;
    String detail = optionsEnvVar + " has " + has + ", the policy computes " + wanted;
    return Finding.notice(Reasons.MANAGED_FLAGS_DIFFER, container, detail);
  }

  private static boolean sameValue(String current, String wanted) {
    try {
      return new BigDecimal(current).compareTo(new BigDecimal(wanted)) == 0;
    } catch (NumberFormatException e) {
      return current.equals(wanted);
    }
  }
}
