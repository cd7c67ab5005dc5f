package io.runtimepolicy.operator.policy;

import static io.runtimepolicy.operator.policy.CpuPolicyTest.quantity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenMP as an add-on: alone, beside a language runtime, limited by its containers annotation. */
class OpenMpProfileTest {

  private static final String OPENMP = "runtimepolicy.io/openmp-tuning";
  private static final String PYTHON = "runtimepolicy.io/python-tuning";

  @Test
  void aPythonContainerWithNumpyGetsItsCpuCountAndTheBlasThreadCounts() {
    ContainerEvaluation app =
        only(Map.of(PYTHON, "enabled", OPENMP, "enabled"), pod(container("app", "1500m")));

    assertThat(app.runtime()).isEqualTo("Python+OpenMP");
    assertThat(app.desired())
        .containsExactly(
            Map.entry("PYTHON_CPU_COUNT", "2"),
            Map.entry("OMP_NUM_THREADS", "2"),
            Map.entry("OPENBLAS_NUM_THREADS", "2"),
            Map.entry("MKL_NUM_THREADS", "2"));
  }

  @Test
  void aloneItTunesEveryContainerInScope() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            PolicySettings.defaults(),
            Map.of(OPENMP, "enabled"),
            pod(container("a", "4"), container("b", "1")));

    assertThat(evaluation.containers())
        .extracting(ContainerEvaluation::runtime, c -> c.desired().get("OMP_NUM_THREADS"))
        .containsExactly(tuple("OpenMP", "4"), tuple("OpenMP", "1"));
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Pending);
  }

  @Test
  void itsContainersAnnotationLimitsItWhileTheLanguageRuntimeKeepsItsOwn() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            PolicySettings.defaults(),
            Map.of(
                "runtimepolicy.io/java-tuning",
                "enabled",
                OPENMP,
                "enabled",
                "runtimepolicy.io/openmp-containers",
                "ml"),
            pod(container("app", "2"), container("ml", "3")));

    assertThat(evaluation.containers())
        .extracting(ContainerEvaluation::name, ContainerEvaluation::runtime)
        .containsExactly(tuple("app", "Java"), tuple("ml", "Java+OpenMP"));
    assertThat(evaluation.containers().get(0).desired()).doesNotContainKey("OMP_NUM_THREADS");
    assertThat(evaluation.containers().get(1).desired()).containsEntry("OMP_NUM_THREADS", "3");
  }

  @Test
  void itsOwnSectionDecidesItsCount() {
    ProcessorSpec openmp = new ProcessorSpec();
    openmp.setMaxProcessors(1);
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setRuntime("openmp", openmp);

    ContainerEvaluation app =
        WorkloadEvaluator.evaluate(
                PolicySettings.from(spec),
                Map.of(PYTHON, "enabled", OPENMP, "enabled"),
                pod(container("app", "4")))
            .containers()
            .get(0);

    assertThat(app.desired()).containsEntry("PYTHON_CPU_COUNT", "4");
    assertThat(app.desired()).containsEntry("OMP_NUM_THREADS", "1");
  }

  @Test
  void twoRuntimesWantingOneVariableIsAFindingAndNeitherSetsIt() {
    RuntimeProfile alsoOmp =
        new RuntimeProfile() {
          @Override
          public String name() {
            return "other";
          }

          @Override
          public String runtime() {
            return "other";
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
            return "";
          }

          @Override
          public RuntimeSettings resolve(ProcessorSpec section) {
            return new RuntimeSettings.Processors(ProcessorRules.of(section, "x"));
          }

          @Override
          public List<String> variables(PolicySettings settings) {
            return List.of("OMP_NUM_THREADS");
          }

          @Override
          public boolean wrote(String variable, ManagedEnv.Entry entry) {
            return false;
          }

          @Override
          public RuntimeTuning tune(Container container, PolicySettings settings) {
            ProcessorDecision cpu =
                CpuPolicy.decide(
                    container.getName(), container.getResources(), settings.java().processors());
            return new RuntimeTuning(
                cpu,
                List.of(new EnvChange.SetValue("OMP_NUM_THREADS", "9")),
                List.of(),
                null,
                null,
                null);
          }
        };

    ContainerEvaluation app =
        ContainerEvaluator.evaluate(
            container("app", "2"),
            List.of(new OpenMpProfile(), alsoOmp),
            PolicySettings.defaults(),
            new ReadTimeout(null, "5s"),
            Map.of());

    assertThat(app.desired())
        .containsOnlyKeys("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        .doesNotContainKey("OMP_NUM_THREADS");
    assertThat(app.findings())
        .extracting(Finding::reason, Finding::message)
        .contains(
            tuple(
                Reasons.RUNTIME_CONFLICT,
                "container app: OMP_NUM_THREADS is set by both openmp and other, so neither sets it"));
  }

  @Test
  void onlyAWholeCountInItsOwnVariablesIsARecordItCouldHaveWritten() {
    OpenMpProfile openmp = new OpenMpProfile();

    assertThat(openmp.wrote("MKL_NUM_THREADS", new ManagedEnv.Entry("2", "8"))).isTrue();
    assertThat(openmp.wrote("MKL_NUM_THREADS", new ManagedEnv.Entry("2,1", null))).isFalse();
    assertThat(openmp.wrote("PYTHON_CPU_COUNT", new ManagedEnv.Entry("2", null))).isFalse();
  }

  private static ContainerEvaluation only(Map<String, String> annotations, PodSpec pod) {
    return WorkloadEvaluator.evaluate(PolicySettings.defaults(), annotations, pod)
        .containers()
        .get(0);
  }

  private static Container container(String name, String cpuLimit) {
    return new ContainerBuilder()
        .withName(name)
        .withImage("python:3.13")
        .withNewResources()
        .addToLimits("cpu", quantity(cpuLimit))
        .endResources()
        .build();
  }

  private static PodSpec pod(Container... containers) {
    return new PodSpecBuilder().addToContainers(containers).build();
  }
}
