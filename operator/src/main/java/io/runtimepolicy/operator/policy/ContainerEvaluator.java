package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    List<Finding> findings = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    String fromValueFrom = null;
    for (String variable : profile.variables(settings)) {
      EnvVar env = optionsEnv(container, variable);
      if (env != null && env.getValueFrom() != null) {
        fromValueFrom = fromValueFrom == null ? variable : fromValueFrom;
      } else if (env != null) {
        current.put(variable, nullToEmpty(env.getValue()));
      }
    }
    RuntimeTuning tuning = profile.tune(container, settings);
    Map<String, String> desired = new LinkedHashMap<>();
    if (fromValueFrom != null) {
      // Reported as computed, but nothing is set: only the CPU finding still applies.
      tuning.cpu().finding().ifPresent(findings::add);
      String what = profile.variables(settings).size() == 1 ? "it is" : "the container is";
      String detail = fromValueFrom + " is set with valueFrom, so " + what + " left alone";
      findings.add(Finding.notice(Reasons.OPTIONS_FROM_VALUE_FROM, name, detail));
    } else {
      findings.addAll(tuning.findings());
      for (EnvChange change : tuning.changes()) {
        String variable = change.variable();
        String base =
            userValues.containsKey(variable) ? userValues.get(variable) : current.get(variable);
        desired.put(variable, change.valueFor(base));
      }
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
        fromValueFrom == null ? tuning.changes() : List.of(),
        current,
        desired,
        findings);
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
