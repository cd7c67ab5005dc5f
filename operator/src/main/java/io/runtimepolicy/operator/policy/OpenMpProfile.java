package io.runtimepolicy.operator.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import java.util.List;

/**
 * OpenMP and the BLAS libraries (OpenBLAS, MKL), an add-on to any language runtime: {@code
 * OMP_NUM_THREADS}, {@code OPENBLAS_NUM_THREADS} and {@code MKL_NUM_THREADS} set to the processor
 * count. Each library starts one thread per host core whatever the quota, so numpy, torch and
 * inference servers in a 2-CPU container run dozens of threads that the quota throttles. Set whole,
 * and given back on leaving.
 */
final class OpenMpProfile implements RuntimeProfile {

  static final List<String> VARIABLES =
      List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS");

  @Override
  public String name() {
    return "openmp";
  }

  @Override
  public String runtime() {
    return "OpenMP";
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
    return "How OpenMP and BLAS thread pools are sized, beside any language runtime:"
        + " OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS from the CPU.";
  }

  @Override
  public RuntimeSettings resolve(ProcessorSpec section) {
    return new RuntimeSettings.Processors(ProcessorRules.of(section, "OMP_NUM_THREADS"));
  }

  @Override
  public List<String> variables(PolicySettings settings) {
    return VARIABLES;
  }

  @Override
  public boolean wrote(String variable, ManagedEnv.Entry entry) {
    return VARIABLES.contains(variable) && ProcessorRules.isCount(entry.set());
  }

  @Override
  public RuntimeTuning tune(Container container, PolicySettings settings) {
    return RuntimeTuning.processorCount(container, processors(settings), VARIABLES);
  }
}
