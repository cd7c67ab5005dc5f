package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.OptionsVariables;
import io.runtimepolicy.api.v1alpha1.JavaSpec;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM: {@code -XX:ActiveProcessorCount=N} from the CPU decision, plus {@code
 * -XX:MaxRAMPercentage=P} when the policy sets it and the container has a valid memory limit (a
 * percentage of nothing would mean the node's memory), merged into {@code java.optionsEnvVar}. No
 * processors: nothing is set, not even the percentage. An {@code optionsEnvVar} that is not a JVM
 * options variable ({@link OptionsVariables}, such as {@code PATH}): nothing is set, with a Notice
 * {@code OptionsEnvVarInvalid}.
 */
final class JavaProfile implements RuntimeProfile {

  /** What {@link #tune} merges, in its order: the first always, the second when configured. */
  private static final List<String> MANAGED_FLAGS =
      List.of(JavaToolOptions.ACTIVE_PROCESSOR_COUNT, JavaToolOptions.MAX_RAM_PERCENTAGE);

  @Override
  public String name() {
    return RuntimePolicySpec.JAVA;
  }

  @Override
  public String runtime() {
    return "Java";
  }

  @Override
  public Class<JavaSpec> sectionType() {
    return JavaSpec.class;
  }

  @Override
  public String description() {
    return "How Java containers are tuned: -XX flags in an options variable.";
  }

  @Override
  public RuntimeSettings resolve(ProcessorSpec section) {
    return JavaSettings.from((JavaSpec) section);
  }

  @Override
  public List<String> variables(PolicySettings settings) {
    return usable(settings) ? List.of(settings.optionsEnvVar()) : List.of();
  }

  /**
   * An options variable, and the set value is exactly the user's value with the flags {@link #tune}
   * manages merged in: -XX:ActiveProcessorCount, with or without -XX:MaxRAMPercentage ({@code
   * -Xss512k} over {@code -Dother} is not).
   */
  @Override
  public boolean wrote(String variable, ManagedEnv.Entry entry) {
    if (!OptionsVariables.allowed(variable)) {
      return false;
    }
    Map<String, String> present = JavaToolOptions.managedFlags(entry.set());
    LinkedHashMap<String, String> flags = new LinkedHashMap<>();
    for (String flag : MANAGED_FLAGS) {
      String value = present.get(flag);
      if (value == null || value.isEmpty()) {
        return false;
      }
      flags.put(flag, value);
      if (entry.set().equals(JavaToolOptions.merge(entry.user(), flags))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public RuntimeTuning tune(Container container, PolicySettings settings) {
    List<Finding> findings = new ArrayList<>();
    ProcessorDecision cpu =
        CpuPolicy.decide(container.getName(), container.getResources(), processors(settings));
    cpu.finding().ifPresent(findings::add);
    if (!usable(settings)) {
      String detail =
          "the policy's java.optionsEnvVar "
              + Finding.quoted(settings.optionsEnvVar())
              + " is not a JVM options variable: not tuned";
      findings.add(Finding.notice(Reasons.OPTIONS_ENV_VAR_INVALID, container.getName(), detail));
      return new RuntimeTuning(cpu, List.of(), findings, null, null, null);
    }
    if (cpu.processors() == null) {
      return new RuntimeTuning(cpu, List.of(), findings, null, null, null);
    }
    LinkedHashMap<String, String> flags = new LinkedHashMap<>();
    flags.put(JavaToolOptions.ACTIVE_PROCESSOR_COUNT, Integer.toString(cpu.processors()));
    String percentage = settings.java().maxRamPercentageFlagValue();
    if (percentage != null
        && MemoryLimits.bytes(container, JavaToolOptions.MAX_RAM_PERCENTAGE, findings)
            .isPresent()) {
      flags.put(JavaToolOptions.MAX_RAM_PERCENTAGE, percentage);
    }
    EnvChange change = new EnvChange.MergeFlags(settings.optionsEnvVar(), flags);
    return new RuntimeTuning(cpu, List.of(change), findings, cpu.processors(), null, null);
  }

  // The schema refuses these names; a policy stored before it did is refused here, not obeyed.
  private static boolean usable(PolicySettings settings) {
    return OptionsVariables.allowed(settings.optionsEnvVar());
  }
}
