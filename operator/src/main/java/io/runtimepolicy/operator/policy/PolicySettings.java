package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.JavaSpec;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.ProbesSpec;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A RuntimePolicy spec with every default resolved, so no rule has to think about nulls.
 *
 * @param mode Enforce or Audit
 * @param optionsEnvVar the env var that carries the managed flags
 * @param cpuSource whether the CPU request is the fallback when there is no limit
 * @param rounding how a fractional CPU quantity becomes whole processors
 * @param minProcessors at least 1
 * @param maxProcessors optional cap, null for none
 * @param maxRamPercentage null unless -XX:MaxRAMPercentage is managed
 * @param appReadTimeout the policy's app read timeout as written, e.g. {@code "5s"}
 * @param go the {@code go} section
 */
public record PolicySettings(
    Mode mode,
    String optionsEnvVar,
    CpuSource cpuSource,
    Rounding rounding,
    int minProcessors,
    Integer maxProcessors,
    BigDecimal maxRamPercentage,
    String appReadTimeout,
    GoSettings go) {

  public static final String DEFAULT_OPTIONS_ENV_VAR = "JAVA_TOOL_OPTIONS";
  public static final String DEFAULT_APP_READ_TIMEOUT = "5s";

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /**
   * Null components take their defaults; minProcessors is raised to 1 so nothing goes below it; a
   * maxRamPercentage outside (0, 100] (the CRD schema forbids it, but schemas can be bypassed) is
   * treated as not set rather than written into a JVM flag.
   */
  public PolicySettings {
    mode = Objects.requireNonNullElse(mode, Mode.Enforce);
    optionsEnvVar = isBlank(optionsEnvVar) ? DEFAULT_OPTIONS_ENV_VAR : optionsEnvVar;
    cpuSource = Objects.requireNonNullElse(cpuSource, CpuSource.LimitOrRequest);
    rounding = Objects.requireNonNullElse(rounding, Rounding.Ceil);
    minProcessors = Math.max(1, minProcessors);
    appReadTimeout = isBlank(appReadTimeout) ? DEFAULT_APP_READ_TIMEOUT : appReadTimeout;
    maxRamPercentage = isPercentage(maxRamPercentage) ? maxRamPercentage : null;
    go = go == null ? GoSettings.defaults() : go;
  }

  /** The Java settings alone; Go takes its defaults. */
  public PolicySettings(
      Mode mode,
      String optionsEnvVar,
      CpuSource cpuSource,
      Rounding rounding,
      int minProcessors,
      Integer maxProcessors,
      BigDecimal maxRamPercentage,
      String appReadTimeout) {
    this(
        mode,
        optionsEnvVar,
        cpuSource,
        rounding,
        minProcessors,
        maxProcessors,
        maxRamPercentage,
        appReadTimeout,
        null);
  }

  /** How -XX:ActiveProcessorCount is computed. */
  public ProcessorRules javaProcessors() {
    return new ProcessorRules(
        cpuSource, rounding, minProcessors, maxProcessors, JavaToolOptions.ACTIVE_PROCESSOR_COUNT);
  }

  /**
   * Enforce, JAVA_TOOL_OPTIONS, LimitOrRequest, Ceil, 1, no cap, no MaxRAMPercentage, 5s; Go's
   * defaults ({@link GoSettings#defaults}).
   */
  public static PolicySettings defaults() {
    return from(null);
  }

  /**
   * The settings of a spec, null-safe at every level: a null spec, sub-spec or field takes the
   * default of DESIGN.md.
   */
  public static PolicySettings from(RuntimePolicySpec spec) {
    JavaSpec java = spec == null || spec.getJava() == null ? new JavaSpec() : spec.getJava();
    ProbesSpec probes =
        spec == null || spec.getProbes() == null ? new ProbesSpec() : spec.getProbes();
    Integer min = java.getMinProcessors();
    return new PolicySettings(
        spec == null ? null : spec.getMode(),
        java.getOptionsEnvVar(),
        java.getCpuSource(),
        java.getRounding(),
        min == null ? 1 : min,
        java.getMaxProcessors(),
        percentage(java.getMaxRAMPercentage()),
        probes.getAppReadTimeout(),
        GoSettings.from(spec == null ? null : spec.getGo()));
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

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
