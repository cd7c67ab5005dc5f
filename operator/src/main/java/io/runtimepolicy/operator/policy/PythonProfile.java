package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import java.util.List;

/**
 * CPython: {@code PYTHON_CPU_COUNT=N} from the CPU decision. {@code os.cpu_count()} reports the
 * host's cores whatever the quota, and so do the pools sized from it (multiprocessing,
 * concurrent.futures); CPython 3.13 and later read this variable instead. Earlier versions ignore
 * it, which is harmless. Set whole, and given back on leaving.
 */
final class PythonProfile implements RuntimeProfile {

  static final String PYTHON_CPU_COUNT = "PYTHON_CPU_COUNT";

  @Override
  public String name() {
    return "python";
  }

  @Override
  public String runtime() {
    return "Python";
  }

  @Override
  public Class<ProcessorSpec> sectionType() {
    return ProcessorSpec.class;
  }

  @Override
  public String description() {
    return "How Python containers are tuned: PYTHON_CPU_COUNT from the CPU (read by CPython 3.13"
        + " and later for os.cpu_count()).";
  }

  @Override
  public RuntimeSettings resolve(ProcessorSpec section) {
    return new RuntimeSettings.Processors(ProcessorRules.of(section, PYTHON_CPU_COUNT));
  }

  @Override
  public List<String> variables(PolicySettings settings) {
    return List.of(PYTHON_CPU_COUNT);
  }

  @Override
  public boolean wrote(String variable, ManagedEnv.Entry entry) {
    return PYTHON_CPU_COUNT.equals(variable) && ProcessorRules.isCount(entry.set());
  }

  @Override
  public RuntimeTuning tune(Container container, PolicySettings settings) {
    return RuntimeTuning.processorCount(container, processors(settings), List.of(PYTHON_CPU_COUNT));
  }
}
