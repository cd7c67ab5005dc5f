package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rules for one governed container; {@link WorkloadEvaluator} is the public face. */
final class ContainerEvaluator {

  private static final String MEMORY = "memory";

  private ContainerEvaluator() {}

  /** {@code userValue}: what to merge into instead of the live value; null means the live one. */
  static ContainerEvaluation evaluate(
      Container container, PolicySettings settings, ReadTimeout readTimeout, String userValue) {
    String name = container.getName();
    List<Finding> findings = new ArrayList<>();
    ProcessorDecision cpu = CpuPolicy.decide(name, container.getResources(), settings);
    cpu.finding().ifPresent(findings::add);
    EnvVar env = optionsEnv(container, settings.optionsEnvVar());
    boolean valueFrom = env != null && env.getValueFrom() != null;
    String current = env == null || valueFrom ? null : nullToEmpty(env.getValue());
    String desired = null;
    if (valueFrom) {
      String detail = settings.optionsEnvVar() + " is set with valueFrom, so it is left alone";
      findings.add(Finding.notice(Reasons.OPTIONS_FROM_VALUE_FROM, name, detail));
    } else if (cpu.processors() != null) {
      String base = userValue == null ? current : userValue;
      desired = JavaToolOptions.merge(base, managed(container, cpu, settings, findings));
    }
    findings.addAll(ProbeChecks.check(container, readTimeout.duration(), readTimeout.text()));
    return new ContainerEvaluation(
        name,
        cpu.quantity(),
        cpu.origin(),
        cpu.processors(),
        ProbeChecks.livenessTimeoutSeconds(container),
        readTimeout.text(),
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

  private static LinkedHashMap<String, String> managed(
      Container container, ProcessorDecision cpu, PolicySettings settings, List<Finding> findings) {
    LinkedHashMap<String, String> managed = new LinkedHashMap<>();
    managed.put(JavaToolOptions.ACTIVE_PROCESSOR_COUNT, Integer.toString(cpu.processors()));
    String percentage = settings.maxRamPercentageFlagValue();
    if (percentage != null && hasMemoryLimit(container, findings)) {
      managed.put(JavaToolOptions.MAX_RAM_PERCENTAGE, percentage);
    }
    return managed;
  }

  // MaxRAMPercentage is a share of the container's memory limit: without one it means the node's.
  private static boolean hasMemoryLimit(Container container, List<Finding> findings) {
    Map<String, Quantity> limits =
        container.getResources() == null ? null : container.getResources().getLimits();
    String limit = Quantities.text(limits == null ? null : limits.get(MEMORY));
    if (limit == null) {
      return false;
    }
    String problem;
    try {
      BigDecimal bytes = Quantities.parse(limit);
      problem = bytes.signum() > 0 ? null : "memory limit " + limit + " is not positive";
    } catch (InvalidQuantityException e) {
      problem = "memory limit " + Finding.quoted(limit) + " is not a Kubernetes quantity";
    }
    if (problem != null) {
      String detail = problem + ", so -XX:MaxRAMPercentage is not set";
      findings.add(Finding.notice(Reasons.MEMORY_QUANTITY_INVALID, container.getName(), detail));
    }
    return problem == null;
  }
}
