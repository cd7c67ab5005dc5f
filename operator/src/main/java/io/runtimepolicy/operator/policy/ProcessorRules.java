package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How one runtime turns a CPU quantity into whole processors ({@link CpuPolicy#decide}).
 *
 * @param cpuSource whether the CPU request is the fallback when there is no limit
 * @param rounding how a fractional quantity becomes whole processors
 * @param minProcessors 1 to {@link RuntimePolicySpec#MAX_PROCESSORS}
 * @param maxProcessors optional cap, 1 to {@link RuntimePolicySpec#MAX_PROCESSORS}; null for none
 * @param setting what the processors are written as, for messages ({@code
 *     -XX:ActiveProcessorCount}, {@code GOMAXPROCS})
 */
public record ProcessorRules(
    CpuSource cpuSource,
    Rounding rounding,
    int minProcessors,
    Integer maxProcessors,
    String setting) {

  /**
   * Null components take their defaults; a minProcessors or maxProcessors outside 1 to {@link
   * RuntimePolicySpec#MAX_PROCESSORS} is treated as not set (minimum 1, no cap). The CRD schema
   * refuses such values, but a policy stored before the schema had the bound, or written with
   * validation bypassed, still reaches here, and {@code minProcessors: 1000000} is a typo to
   * ignore, not a floor to hand a 2-CPU container (clamped to 1024 it would still be one).
   */
  private static final Pattern COUNT = Pattern.compile("[1-9][0-9]{0,9}");

  public ProcessorRules {
    cpuSource = Objects.requireNonNullElse(cpuSource, CpuSource.LimitOrRequest);
    rounding = Objects.requireNonNullElse(rounding, Rounding.Ceil);
    minProcessors = inBounds(minProcessors) ? minProcessors : 1;
    maxProcessors = maxProcessors != null && inBounds(maxProcessors) ? maxProcessors : null;
    setting = Objects.requireNonNullElse(setting, "processors");
  }

  /** The processor fields of any runtime section, written as {@code setting}; null: defaults. */
  public static ProcessorRules of(ProcessorSpec section, String setting) {
    ProcessorSpec spec = section == null ? new ProcessorSpec() : section;
    Integer min = spec.getMinProcessors();
    return new ProcessorRules(
        spec.getCpuSource(),
        spec.getRounding(),
        min == null ? 1 : min,
        spec.getMaxProcessors(),
        setting);
  }

  /**
   * Whether {@code value} is a processor count as the operator writes one (a whole number, no sign
   * or leading zero): the check of a {@link ManagedEnv} record for every variable set to it.
   */
  public static boolean isCount(String value) {
    return COUNT.matcher(value).matches();
  }

  private static boolean inBounds(int processors) {
    return processors >= 1 && processors <= RuntimePolicySpec.MAX_PROCESSORS;
  }
}
