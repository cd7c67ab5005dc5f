package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import java.util.List;

/**
 * What a {@link RuntimeProfile} wants in one container.
 *
 * @param cpu the processor decision, for status (quantity and where it came from)
 * @param changes the variables to set, in order; empty when the container is skipped
 * @param findings why something is not set, if it is not
 * @param activeProcessorCount Java: the -XX:ActiveProcessorCount set; else null
 * @param gomaxprocs Go: the GOMAXPROCS set; else null
 * @param gomemlimit Go: the GOMEMLIMIT set; else null
 */
public record RuntimeTuning(
    ProcessorDecision cpu,
    List<EnvChange> changes,
    List<Finding> findings,
    Integer activeProcessorCount,
    Integer gomaxprocs,
    String gomemlimit) {

  public RuntimeTuning {
    changes = List.copyOf(changes);
    findings = List.copyOf(findings);
  }

  /**
   * The tuning of a runtime that sets each of {@code variables} whole to the processor count by
   * {@code rules}: none when there are no processors (the CPU finding says why).
   */
  static RuntimeTuning processorCount(
      Container container, ProcessorRules rules, List<String> variables) {
    ProcessorDecision cpu = CpuPolicy.decide(container.getName(), container.getResources(), rules);
    List<EnvChange> changes =
        cpu.processors() == null
            ? List.of()
            : variables.stream()
                .<EnvChange>map(v -> new EnvChange.SetValue(v, Integer.toString(cpu.processors())))
                .toList();
    return new RuntimeTuning(cpu, changes, cpu.finding().stream().toList(), null, null, null);
  }
}
