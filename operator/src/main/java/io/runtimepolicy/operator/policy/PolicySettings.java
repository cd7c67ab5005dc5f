package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.ProbesSpec;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A RuntimePolicy spec with every default resolved, so no rule has to think about nulls.
 *
 * @param mode Enforce, Audit or Inject
 * @param appReadTimeout the policy's app read timeout as written, e.g. {@code "5s"}
 * @param runtimes every runtime's settings by its section name, each resolved by its own profile
 *     ({@link RuntimeProfile#resolve}); a runtime missing here takes its defaults
 * @param customs the runtimes the policy declares ({@code spec.custom}) that can be used
 * @param problems what of the spec could not be used: a section that does not read as its type (its
 *     runtime takes its defaults), a custom runtime or variable the CRD would refuse (ignored)
 */
public record PolicySettings(
    Mode mode,
    String appReadTimeout,
    Map<String, RuntimeSettings> runtimes,
    List<CustomProfile> customs,
    List<String> problems) {

  public static final String DEFAULT_OPTIONS_ENV_VAR = JavaSettings.DEFAULT_OPTIONS_ENV_VAR;
  public static final String DEFAULT_APP_READ_TIMEOUT = "5s";

  /** Null components take their defaults, and every runtime has its settings. */
  public PolicySettings {
    mode = Objects.requireNonNullElse(mode, Mode.Enforce);
    appReadTimeout =
        appReadTimeout == null || appReadTimeout.isBlank()
            ? DEFAULT_APP_READ_TIMEOUT
            : appReadTimeout;
    Map<String, RuntimeSettings> all = new LinkedHashMap<>();
    for (RuntimeProfile profile : RuntimeProfiles.ALL) {
      RuntimeSettings given = runtimes == null ? null : runtimes.get(profile.name());
      all.put(profile.name(), given != null ? given : profile.resolve(null));
    }
    runtimes = Collections.unmodifiableMap(all);
    customs = customs == null ? List.of() : List.copyOf(customs);
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** Built-in runtimes only. */
  public PolicySettings(
      Mode mode,
      String appReadTimeout,
      Map<String, RuntimeSettings> runtimes,
      List<String> problems) {
    this(mode, appReadTimeout, runtimes, List.of(), problems);
  }

  /**
   * Every runtime a workload under this policy may opt into: the built-in ones in the order of
   * {@link RuntimeProfiles#ALL}, then the policy's own.
   */
  public List<RuntimeProfile> profiles() {
    if (customs.isEmpty()) {
      return RuntimeProfiles.ALL;
    }
    List<RuntimeProfile> all = new ArrayList<>(RuntimeProfiles.ALL);
    all.addAll(customs);
    return Collections.unmodifiableList(all);
  }

  /** The Java settings alone, flat; every other runtime takes its defaults. For tests. */
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
        appReadTimeout,
        Map.of(
            RuntimePolicySpec.JAVA,
            new JavaSettings(
                new ProcessorRules(
                    cpuSource,
                    rounding,
                    Math.max(1, minProcessors),
                    maxProcessors,
                    JavaToolOptions.ACTIVE_PROCESSOR_COUNT),
                optionsEnvVar,
                maxRamPercentage)),
        List.of());
  }

  /** {@code profile}'s settings, as its profile resolved them. */
  public <S extends RuntimeSettings> S runtime(RuntimeProfile profile, Class<S> type) {
    return type.cast(runtimes.get(profile.name()));
  }

  /** The {@code java} section. */
  public JavaSettings java() {
    return (JavaSettings) runtimes.get(RuntimePolicySpec.JAVA);
  }

  /** The {@code go} section. */
  public GoSettings go() {
    return (GoSettings) runtimes.get(RuntimePolicySpec.GO);
  }

  /** The env var that carries the managed JVM flags. */
  public String optionsEnvVar() {
    return java().optionsEnvVar();
  }

  /** Every default of DESIGN.md. */
  public static PolicySettings defaults() {
    return from(null);
  }

  /**
   * The settings of a spec, null-safe at every level: a null spec, section or field takes the
   * default of DESIGN.md. A section that does not read as its type (stored past the schema) takes
   * its defaults and is named in {@link #problems}, rather than failing every workload.
   */
  public static PolicySettings from(RuntimePolicySpec spec) {
    ProbesSpec probes =
        spec == null || spec.getProbes() == null ? new ProbesSpec() : spec.getProbes();
    Map<String, RuntimeSettings> runtimes = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (RuntimeProfile profile : RuntimeProfiles.ALL) {
      ProcessorSpec section = null;
      if (spec != null) {
        try {
          section = spec.runtime(profile.name(), profile.sectionType());
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage());
        }
      }
      RuntimeSettings settings = profile.resolve(section);
      problems.addAll(settings.problems());
      runtimes.put(profile.name(), settings);
    }
    List<CustomProfile> customs =
        CustomRuntimes.from(spec == null ? null : spec.getCustom(), problems);
    return new PolicySettings(
        spec == null ? null : spec.getMode(),
        probes.getAppReadTimeout(),
        runtimes,
        customs,
        problems);
  }
}
