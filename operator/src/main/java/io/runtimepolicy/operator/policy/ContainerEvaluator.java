package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The rules for one governed container; {@link WorkloadEvaluator} is the public face. */
final class ContainerEvaluator {

  private ContainerEvaluator() {}

  /**
   * {@code profiles}: the container's runtimes, its language runtime first ({@link
   * RuntimeProfiles#assign}). {@code userValues}: per variable, what to compute from instead of the
   * live value (the user's own value the operator replaced; null when they had none); a variable
   * not in it uses the live value. Two runtimes that want one variable: a Notice {@code
   * RuntimeConflict}, and neither sets it.
   */
  static ContainerEvaluation evaluate(
      Container container,
      List<RuntimeProfile> profiles,
      PolicySettings settings,
      ReadTimeout readTimeout,
      Map<String, String> userValues) {
    String name = container.getName();
    List<String> variables =
        profiles.stream().flatMap(p -> p.variables(settings).stream()).distinct().toList();
    Map<String, String> current = new LinkedHashMap<>();
    variables.forEach(v -> EnvVars.literal(container, v).ifPresent(value -> current.put(v, value)));
    Optional<String> fromValueFrom =
        variables.stream().filter(v -> isValueFrom(container, v)).findFirst();
    List<RuntimeTuning> tunings = profiles.stream().map(p -> p.tune(container, settings)).toList();
    RuntimeTuning first = tunings.get(0);
    Set<Finding> findings = new LinkedHashSet<>();
    List<EnvChange> changes = List.of();
    if (fromValueFrom.isPresent()) {
      // Reported as computed, but nothing is set: only the CPU finding still applies.
      tunings.forEach(t -> t.cpu().finding().ifPresent(findings::add));
      String what = variables.size() == 1 ? "it is" : "the container is";
      String detail = fromValueFrom.get() + " is set with valueFrom, so " + what + " left alone";
      findings.add(Finding.notice(Reasons.OPTIONS_FROM_VALUE_FROM, name, detail));
    } else {
      tunings.forEach(t -> findings.addAll(t.findings()));
      changes = withoutConflicts(name, profiles, tunings, findings);
    }
    findings.addAll(ProbeChecks.check(container, readTimeout.duration(), readTimeout.text()));
    return new ContainerEvaluation(
        name,
        profiles.stream().map(RuntimeProfile::runtime).collect(Collectors.joining("+")),
        first.cpu().quantity(),
        first.cpu().origin(),
        first.activeProcessorCount(),
        first.gomaxprocs(),
        first.gomemlimit(),
        ProbeChecks.livenessTimeoutSeconds(container),
        readTimeout.text(),
        changes,
        current,
        desired(changes, current, userValues),
        new ArrayList<>(findings));
  }

  /** Every runtime's changes, except a variable two of them want: that one neither sets. */
  private static List<EnvChange> withoutConflicts(
      String container,
      List<RuntimeProfile> profiles,
      List<RuntimeTuning> tunings,
      Set<Finding> findings) {
    Map<String, List<String>> wantedBy = new LinkedHashMap<>();
    for (int i = 0; i < tunings.size(); i++) {
      for (EnvChange change : tunings.get(i).changes()) {
        wantedBy
            .computeIfAbsent(change.variable(), v -> new ArrayList<>())
            .add(profiles.get(i).name());
      }
    }
    List<EnvChange> changes = new ArrayList<>();
    for (RuntimeTuning tuning : tunings) {
      tuning.changes().stream()
          .filter(change -> wantedBy.get(change.variable()).size() == 1)
          .forEach(changes::add);
    }
    wantedBy.forEach(
        (variable, runtimes) -> {
          if (runtimes.size() > 1) {
            String detail =
                variable
                    + " is set by both "
                    + String.join(" and ", runtimes)
                    + ", so neither sets it";
            findings.add(Finding.notice(Reasons.RUNTIME_CONFLICT, container, detail));
          }
        });
    return changes;
  }

  /** Each change's value, computed from the user's own value where the live one is ours. */
  private static Map<String, String> desired(
      List<EnvChange> changes, Map<String, String> current, Map<String, String> userValues) {
    Map<String, String> desired = new LinkedHashMap<>();
    for (EnvChange change : changes) {
      String variable = change.variable();
      String base =
          userValues.containsKey(variable) ? userValues.get(variable) : current.get(variable);
      desired.put(variable, change.valueFor(base));
    }
    return desired;
  }

  private static boolean isValueFrom(Container container, String variable) {
    EnvVar env = optionsEnv(container, variable);
    return env != null && env.getValueFrom() != null;
  }

  /** The env var entry named {@code name}; the last one wins, as in the kubelet. */
  static EnvVar optionsEnv(Container container, String name) {
    EnvVar found = null;
    if (container.getEnv() != null) {
      for (EnvVar env : container.getEnv()) {
        if (env != null && name.equals(env.getName())) {
          found = env;
        }
      }
    }
    return found;
  }

  static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
