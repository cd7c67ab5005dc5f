package io.runtimepolicy.operator.policy;

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
}
