package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The JVM: {@code -XX:ActiveProcessorCount=N} from the CPU decision, plus {@code
 * -XX:MaxRAMPercentage=P} when the policy sets it and the container has a valid memory limit (a
 * percentage of nothing would mean the node's memory), merged into {@code java.optionsEnvVar}. No
 * processors: nothing is set, not even the percentage.
 */
final class JavaProfile implements RuntimeProfile {

  @Override
  public String runtime() {
    return "Java";
  }

  @Override
  public String tuningAnnotation() {
    return Annotations.JAVA_TUNING;
  }

  @Override
  public String containersAnnotation() {
    return Annotations.JAVA_CONTAINERS;
  }

  @Override
  public ProcessorRules processors(PolicySettings settings) {
    return settings.javaProcessors();
  }

  @Override
  public List<String> variables(PolicySettings settings) {
    return List.of(settings.optionsEnvVar());
  }

  @Override
  public RuntimeTuning tune(Container container, PolicySettings settings) {
    List<Finding> findings = new ArrayList<>();
    ProcessorDecision cpu =
        CpuPolicy.decide(container.getName(), container.getResources(), processors(settings));
    cpu.finding().ifPresent(findings::add);
    if (cpu.processors() == null) {
      return new RuntimeTuning(cpu, List.of(), findings, null, null, null);
    }
    LinkedHashMap<String, String> flags = new LinkedHashMap<>();
    flags.put(JavaToolOptions.ACTIVE_PROCESSOR_COUNT, Integer.toString(cpu.processors()));
    String percentage = settings.maxRamPercentageFlagValue();
    if (percentage != null
        && MemoryLimits.bytes(container, JavaToolOptions.MAX_RAM_PERCENTAGE, findings)
            .isPresent()) {
      flags.put(JavaToolOptions.MAX_RAM_PERCENTAGE, percentage);
    }
    EnvChange change = new EnvChange.MergeFlags(settings.optionsEnvVar(), flags);
    return new RuntimeTuning(cpu, List.of(change), findings, cpu.processors(), null, null);
  }
}
