package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One governed container against its policy, whatever its runtime.
 *
 * @param name the container's name
 * @param runtime its runtime profile's name ({@code Java}, {@code Go})
 * @param cpu the CPU quantity used, as written; null when there was none
 * @param cpuOrigin where {@code cpu} came from; null when there was none
 * @param activeProcessorCount Java: what the policy computes; null when not set
 * @param gomaxprocs Go: what the policy computes; null when not set
 * @param gomemlimit Go: what the policy computes; null when not set
 * @param livenessTimeoutSeconds the effective liveness timeout; null without a liveness probe
 * @param appReadTimeout the read timeout the probe was checked against, as written
 * @param env what the runtime wants set; empty when the operator leaves the container alone
 * @param current each managed variable's literal value now (absent or valueFrom: no entry)
 * @param desired each variable of {@code env} to the value the policy wants, in order
 * @param findings this container's findings
 */
public record ContainerEvaluation(
    String name,
    String runtime,
    String cpu,
    CpuOrigin cpuOrigin,
    Integer activeProcessorCount,
    Integer gomaxprocs,
    String gomemlimit,
    Integer livenessTimeoutSeconds,
    String appReadTimeout,
    List<EnvChange> env,
    Map<String, String> current,
    Map<String, String> desired,
    List<Finding> findings) {

  /** Collections are copied and never null, so the record stays a value. */
  public ContainerEvaluation {
    env = env == null ? List.of() : List.copyOf(env);
    current =
        current == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(current));
    desired =
        desired == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(desired));
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  /** Whether the operator manages anything in this container. */
  public boolean managed() {
    return !desired.isEmpty();
  }

  /** Whether the operator would write this container: some desired value differs from now. */
  public boolean changes() {
    return desired.entrySet().stream()
        .anyMatch(e -> !Objects.equals(e.getValue(), current.get(e.getKey())));
  }

  /** The change of {@code variable}, if the runtime wants one. */
  public java.util.Optional<EnvChange> change(String variable) {
    return env.stream().filter(c -> c.variable().equals(variable)).findFirst();
  }
}
