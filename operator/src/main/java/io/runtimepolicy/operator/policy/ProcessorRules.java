package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.Rounding;
import java.util.Objects;

/**
 * How one runtime turns a CPU quantity into whole processors ({@link CpuPolicy#decide}).
 *
 * @param cpuSource whether the CPU request is the fallback when there is no limit
 * @param rounding how a fractional quantity becomes whole processors
 * @param minProcessors at least 1
 * @param maxProcessors optional cap, null for none
 * @param setting what the processors are written as, for messages ({@code
 *     -XX:ActiveProcessorCount}, {@code GOMAXPROCS})
 */
public record ProcessorRules(
    CpuSource cpuSource,
    Rounding rounding,
    int minProcessors,
    Integer maxProcessors,
    String setting) {

  /** Null components take their defaults; minProcessors is raised to 1. */
  public ProcessorRules {
    cpuSource = Objects.requireNonNullElse(cpuSource, CpuSource.LimitOrRequest);
    rounding = Objects.requireNonNullElse(rounding, Rounding.Ceil);
    minProcessors = Math.max(1, minProcessors);
    setting = Objects.requireNonNullElse(setting, "processors");
  }
}
