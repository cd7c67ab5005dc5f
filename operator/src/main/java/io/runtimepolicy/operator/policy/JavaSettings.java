package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.OptionsVariables;
import io.runtimepolicy.api.v1alpha1.JavaSpec;
import java.math.BigDecimal;
import java.util.List;

/**
 * The {@code java} section of a policy with every default resolved.
 *
 * @param processors how -XX:ActiveProcessorCount is computed
 * @param optionsEnvVar the env var that carries the managed flags
 * @param maxRamPercentage null unless -XX:MaxRAMPercentage is managed
 */
public record JavaSettings(
    ProcessorRules processors, String optionsEnvVar, BigDecimal maxRamPercentage)
    implements RuntimeSettings {

  public static final String DEFAULT_OPTIONS_ENV_VAR = "JAVA_TOOL_OPTIONS";

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /**
   * A blank optionsEnvVar takes the default; a maxRamPercentage outside (0, 100] (the CRD schema
   * forbids it, but schemas can be bypassed) is treated as not set rather than written into a JVM
   * flag.
   */
  public JavaSettings {
    processors =
        processors == null
            ? new ProcessorRules(null, null, 1, null, JavaToolOptions.ACTIVE_PROCESSOR_COUNT)
            : processors;
    optionsEnvVar =
        optionsEnvVar == null || optionsEnvVar.isBlank() ? DEFAULT_OPTIONS_ENV_VAR : optionsEnvVar;
    maxRamPercentage = isPercentage(maxRamPercentage) ? maxRamPercentage : null;
  }

  /** The settings of a {@code java} section; null takes every default. */
  public static JavaSettings from(JavaSpec spec) {
    JavaSpec java = spec == null ? new JavaSpec() : spec;
    return new JavaSettings(
        ProcessorRules.of(java, JavaToolOptions.ACTIVE_PROCESSOR_COUNT),
        java.getOptionsEnvVar(),
        percentage(java.getMaxRAMPercentage()));
  }

  @Override
  public List<String> problems() {
    return OptionsVariables.allowed(optionsEnvVar)
        ? List.of()
        : List.of(
            "spec.java.optionsEnvVar "
                + Finding.quoted(optionsEnvVar)
                + " is not a JVM options variable ("
                + String.join(", ", OptionsVariables.JVM)
                + " or one of your own)");
  }

  /**
   * The -XX:MaxRAMPercentage value as the JVM reads it: plain, at least one decimal ({@code
   * "75.0"}, {@code "62.5"}); null when not managed.
   */
  public String maxRamPercentageFlagValue() {
    if (maxRamPercentage == null) {
      return null;
    }
    BigDecimal plain = maxRamPercentage.stripTrailingZeros();
    return (plain.scale() < 1 ? plain.setScale(1) : plain).toPlainString();
  }

  // BigDecimal.valueOf goes through Double.toString, so 62.5 stays 62.5, not 62.49999...
  private static BigDecimal percentage(Double value) {
    boolean finite = value != null && !value.isNaN() && !value.isInfinite();
    return finite ? BigDecimal.valueOf(value) : null;
  }

  private static boolean isPercentage(BigDecimal value) {
    return value != null && value.signum() > 0 && value.compareTo(HUNDRED) <= 0;
  }
}
