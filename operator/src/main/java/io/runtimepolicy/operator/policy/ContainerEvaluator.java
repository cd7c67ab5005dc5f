package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rules for one governed container; {@link WorkloadEvaluator} is the public face. */
final class ContainerEvaluator {

  private ContainerEvaluator() {}

  /**
   * {@code userValues}: per variable, what to compute from instead of the live value (the user's
   * own value the operator replaced; null when they had none); a variable not in it uses the live
   * value.
   */
  static ContainerEvaluation evaluate(
      Container container,
      RuntimeProfile profile,
      PolicySettings settings,
      ReadTimeout readTimeout,
      Map<String, String> userValues) {
    String name = container.getName();
    List<String> variables = profile.variables(settings);
    Map<String, String> current = new LinkedHashMap<>();
    variables.forEach(v -> EnvVars.literal(container, v).ifPresent(value -> current.put(v, value)));
    Optional<String> fromValueFrom =
        variables.stream().filter(v -> isValueFrom(container, v)).findFirst();
    RuntimeTuning tuning = profile.tune(container, settings);
    List<Finding> findings = new ArrayList<>();
    List<EnvChange> changes = List.of();
    if (fromValueFrom.isPresent()) {
      // Reported as computed, but nothing is set: only the CPU finding still applies.
      tuning.cpu().finding().ifPresent(findings::add);
      String what = variables.size() == 1 ? "it is" : "the container is";
      String detail = fromValueFrom.get() + " is set with valueFrom, so " + what + " left alone";
      findings.add(Finding.notice(Reasons.OPTIONS_FROM_VALUE_FROM, name, detail));
    } else {
      findings.addAll(tuning.findings());
      changes = tuning.changes();
    }
    findings.addAll(ProbeChecks.check(container, readTimeout.duration(), readTimeout.text()));
    return new ContainerEvaluation(
        name,
        profile.runtime(),
        tuning.cpu().quantity(),
        tuning.cpu().origin(),
        tuning.activeProcessorCount(),
        tuning.gomaxprocs(),
        tuning.gomemlimit(),
        ProbeChecks.livenessTimeoutSeconds(container),
        readTimeout.text(),
        changes,
        current,
        desired(changes, current, userValues),
        findings);
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
