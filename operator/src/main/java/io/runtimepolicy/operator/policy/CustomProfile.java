package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.CustomVariables;
import io.runtimepolicy.api.v1alpha1.CustomValue;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A runtime the policy declares ({@code spec.custom}), read by {@link CustomRuntimes}: an add-on
 * beside any language runtime, setting each of its variables whole to the processor count or to a
 * share of the memory limit. Given back on leaving like every other variable.
 *
 * @param name the runtime's name: its annotations and its name in status
 * @param rules how its processor count is computed
 * @param env the variables it sets, in the policy's order
 */
record CustomProfile(String name, ProcessorRules rules, List<Variable> env)
    implements RuntimeProfile {

  /** A positive whole number as the operator writes one: processors, MiB or bytes. */
  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,18}");

  /**
   * One variable and what it is set to.
   *
   * @param percent the share of the memory limit, 1 to 100; unused for processors
   */
  record Variable(String name, CustomValue value, int percent) {}

  CustomProfile {
    env = List.copyOf(env);
  }

  @Override
  public String runtime() {
    return name;
  }

  @Override
  public boolean addOn() {
    return true;
  }

  @Override
  public Class<ProcessorSpec> sectionType() {
    return ProcessorSpec.class;
  }

  @Override
  public String description() {
    return "The custom runtime " + name + " of the policy.";
  }

  @Override
  public RuntimeSettings resolve(ProcessorSpec section) {
    return new RuntimeSettings.Processors(rules);
  }

  @Override
  public ProcessorRules processors(PolicySettings settings) {
    return rules;
  }

  @Override
  public List<String> variables(PolicySettings settings) {
    return env.stream().map(Variable::name).toList();
  }

  /**
   * Whether some custom runtime could have written the entry. Not only this policy's: a runtime the
   * policy no longer declares still gives its variables back, so every variable a custom runtime
   * may set, at a value it could set, counts.
   */
  @Override
  public boolean wrote(String variable, ManagedEnv.Entry entry) {
    return couldHaveWritten(variable, entry);
  }

  static boolean couldHaveWritten(String variable, ManagedEnv.Entry entry) {
    return CustomVariables.allowed(variable) && NUMBER.matcher(entry.set()).matches();
  }

  @Override
  public RuntimeTuning tune(Container container, PolicySettings settings) {
    ProcessorDecision cpu = CpuPolicy.decide(container.getName(), container.getResources(), rules);
    List<Finding> findings = new ArrayList<>();
    List<EnvChange> changes = new ArrayList<>();
    if (env.stream().anyMatch(v -> v.value() == CustomValue.Processors)) {
      cpu.finding().ifPresent(findings::add);
    }
    for (Variable variable : env) {
      value(container, variable, cpu, findings)
          .ifPresent(value -> changes.add(new EnvChange.SetValue(variable.name(), value)));
    }
    return new RuntimeTuning(cpu, changes, findings, null, null, null);
  }

  private static Optional<String> value(
      Container container, Variable variable, ProcessorDecision cpu, List<Finding> findings) {
    if (variable.value() == CustomValue.Processors) {
      return Optional.ofNullable(cpu.processors()).map(String::valueOf);
    }
    Optional<BigDecimal> bytes = MemoryLimits.required(container, variable.name(), findings);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        variable.value() == CustomValue.MemoryLimitMiB
            ? MemoryLimits.shareMib(bytes.get(), variable.percent())
            : MemoryLimits.share(bytes.get(), variable.percent())
                .max(java.math.BigInteger.ONE)
                .toString());
  }
}
