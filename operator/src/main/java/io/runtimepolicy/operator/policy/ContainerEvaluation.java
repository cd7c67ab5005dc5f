package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import java.util.List;

/**
 * One governed container against its policy.
 *
 * @param name the container's name
 * @param cpu the CPU quantity used, as written; null when there was none
 * @param cpuOrigin where {@code cpu} came from; null when there was none
 * @param activeProcessorCount what the policy computes; null when skipped
 * @param livenessTimeoutSeconds the effective liveness timeout; null without a liveness probe
 * @param appReadTimeout the read timeout the probe was checked against, as written
 * @param currentValue the options env var's literal value now; null when absent or valueFrom
 * @param desiredValue the value the policy wants; null when the operator leaves it alone
 * @param findings this container's findings
 */
public record ContainerEvaluation(
    String name,
    String cpu,
    CpuOrigin cpuOrigin,
    Integer activeProcessorCount,
    Integer livenessTimeoutSeconds,
    String appReadTimeout,
    String currentValue,
    String desiredValue,
    List<Finding> findings) {

  /** Findings are copied and never null, so the record stays a value. */
  public ContainerEvaluation {
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  /** Whether the operator would write this container: it has a desired value that differs. */
  public boolean changes() {
    return desiredValue != null && !desiredValue.equals(currentValue);
  }
}
