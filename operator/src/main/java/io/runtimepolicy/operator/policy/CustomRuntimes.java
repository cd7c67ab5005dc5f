package io.runtimepolicy.operator.policy;

import io.runtimepolicy.api.CustomVariables;
import io.runtimepolicy.api.v1alpha1.CustomEnvSpec;
import io.runtimepolicy.api.v1alpha1.CustomRuntimeSpec;
import io.runtimepolicy.api.v1alpha1.CustomValue;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The runtimes a policy declares ({@code spec.custom}), checked again as the CRD checks them: a
 * policy the API server never validated (the chart's default policy, a CRD older than the operator)
 * must not crash a reconcile or set {@code PATH}. A runtime with a bad name is ignored, a bad
 * variable of a good runtime is ignored; each is one line of {@link PolicySettings#problems}, which
 * the policy's status shows.
 */
final class CustomRuntimes {

  private static final Pattern NAME = Pattern.compile(CustomRuntimeSpec.NAME_PATTERN);
  private static final int DEFAULT_PERCENT = 100;
  private static final int MAX_QUOTED = 64;

  private CustomRuntimes() {}

  /** The usable runtimes of {@code specs} (null: none), each problem added to {@code problems}. */
  static List<CustomProfile> from(List<CustomRuntimeSpec> specs, List<String> problems) {
    List<CustomProfile> profiles = new ArrayList<>();
    if (specs == null) {
      return profiles;
    }
    Set<String> builtIn =
        RuntimeProfiles.ALL.stream().map(RuntimeProfile::name).collect(Collectors.toSet());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < specs.size(); i++) {
      CustomRuntimeSpec spec = specs.get(i);
      String at = RuntimePolicySpec.CUSTOM + "[" + i + "]";
      String name = spec == null ? null : spec.getName();
      String problem = nameProblem(name, builtIn, seen);
      if (problem != null) {
        problems.add(at + ": " + problem + "; the runtime is ignored");
        continue;
      }
      seen.add(name);
      List<CustomProfile.Variable> env = env(spec.getEnv(), at + " (" + name + ")", problems);
      if (env.isEmpty()) {
        problems.add(at + " (" + name + "): no variable to set; the runtime sets nothing");
      }
      profiles.add(
          new CustomProfile(
              name, ProcessorRules.of(spec.getProcessors(), setting(name, env)), env));
    }
    return profiles;
  }

  private static String nameProblem(String name, Set<String> builtIn, Set<String> seen) {
    if (name == null || name.isEmpty()) {
      return "it has no name";
    }
    if (name.length() > CustomRuntimeSpec.MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
      return "name "
          + quoted(name)
          + " is not a lower-case DNS label of at most "
          + CustomRuntimeSpec.MAX_NAME_LENGTH
          + " characters";
    }
    if (builtIn.contains(name)) {
      return "name " + name + " is a built-in runtime";
    }
    if (seen.contains(name)) {
      return "name " + name + " is declared twice";
    }
    return null;
  }

  private static List<CustomProfile.Variable> env(
      List<CustomEnvSpec> specs, String at, List<String> problems) {
    List<CustomProfile.Variable> env = new ArrayList<>();
    if (specs == null) {
      return env;
    }
    Set<String> seen = new HashSet<>();
    for (CustomEnvSpec spec : specs) {
      String name = spec == null ? null : spec.getName();
      String problem = variableProblem(spec, seen);
      if (problem != null) {
        problems.add(at + ": " + problem + "; the variable is not set");
        continue;
      }
      seen.add(name);
      int percent = spec.getPercent() == null ? DEFAULT_PERCENT : spec.getPercent();
      env.add(new CustomProfile.Variable(name, spec.getValue(), percent));
    }
    return env;
  }

  private static String variableProblem(CustomEnvSpec spec, Set<String> seen) {
    String name = spec == null ? null : spec.getName();
    if (name == null || name.isEmpty()) {
      return "a variable has no name";
    }
    if (!CustomVariables.allowed(name)) {
      return "variable "
          + quoted(name)
          + " is not an env variable name, or is a system or options variable";
    }
    if (seen.contains(name)) {
      return "variable " + name + " is listed twice";
    }
    if (spec.getValue() == null) {
      return "variable " + name + " has no value Processors, MemoryLimitMiB or MemoryLimitBytes";
    }
    Integer percent = spec.getPercent();
    if (percent != null && spec.getValue() == CustomValue.Processors) {
      return "variable " + name + " is Processors, which takes no percent";
    }
    if (percent != null && RuntimeSettings.wholePercent(percent) == null) {
      return "variable " + name + " has percent " + percent + ", not 1 to 100";
    }
    return null;
  }

  /** Long enough for any name a user means; bounded, since the status shows it. */
  private static String quoted(String text) {
    return "\""
        + (text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED - 3) + "...")
        + "\"";
  }

  /** What the processors are written as, for the CPU finding. */
  private static String setting(String name, List<CustomProfile.Variable> env) {
    List<String> counts =
        env.stream()
            .filter(v -> v.value() == CustomValue.Processors)
            .map(CustomProfile.Variable::name)
            .toList();
    return counts.isEmpty() ? name + "'s processors" : String.join(" and ", counts);
  }
}
