package io.runtimepolicy.operator.policy;

import static io.runtimepolicy.operator.policy.CpuPolicyTest.quantity;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Python profile through the one engine entry point, and its give-back. */
class PythonProfileTest {

  private static final String VAR = "PYTHON_CPU_COUNT";
  private static final Map<String, String> PYTHON =
      Map.of("runtimepolicy.io/python-tuning", "enabled");

  @ParameterizedTest(name = "limit {0}, request {1}, {2}: {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        "500m, -,    Ceil,  1, Limit",
        "1500m, -,   Ceil,  2, Limit",
        "1500m, -,   Floor, 1, Limit",
        "-,    3,    Ceil,  3, Request",
        "4,    1,    Ceil,  4, Limit",
      })
  void setsTheProcessorCountByThePythonSection(
      String limit, String request, Rounding rounding, int expected, CpuOrigin origin) {
    ProcessorSpec python = new ProcessorSpec();
    python.setRounding(rounding);
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setRuntime("python", python);

    ContainerEvaluation app =
        only(PolicySettings.from(spec), pod(container(limit, request).build()));

    assertThat(app.runtime()).isEqualTo("Python");
    assertThat(app.desired()).containsExactly(Map.entry(VAR, Integer.toString(expected)));
    assertThat(app.cpuOrigin()).isEqualTo(origin);
    assertThat(app.activeProcessorCount()).isNull();
    assertThat(app.gomaxprocs()).isNull();
  }

  @Test
  void maxProcessorsCapsItAndJavasSectionDoesNot() {
    ProcessorSpec python = new ProcessorSpec();
    python.setMaxProcessors(2);
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setRuntime("python", python);
    spec.getJava().setMaxProcessors(1);

    assertThat(only(PolicySettings.from(spec), pod(container("16", null).build())).desired())
        .containsExactly(Map.entry(VAR, "2"));
  }

  @Test
  void noCpuAtAllIsSkippedWithItsFinding() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            PolicySettings.defaults(), PYTHON, pod(container(null, null).build()));

    assertThat(evaluation.state()).isEqualTo(WorkloadState.Skipped);
    assertThat(evaluation.containers().get(0).desired()).isEmpty();
    assertThat(evaluation.findings()).isNotEmpty();
  }

  @Test
  void aValueFromLeavesTheContainerAlone() {
    PodSpec pod =
        pod(
            container("2", null)
                .addToEnv(
                    new EnvVarBuilder()
                        .withName(VAR)
                        .withNewValueFrom()
                        .withNewFieldRef()
                        .withFieldPath("metadata.name")
                        .endFieldRef()
                        .endValueFrom()
                        .build())
                .build());

    ContainerEvaluation app = only(PolicySettings.defaults(), pod);

    assertThat(app.desired()).isEmpty();
    assertThat(app.findings())
        .extracting(Finding::reason)
        .contains(Reasons.OPTIONS_FROM_VALUE_FROM);
  }

  @Test
  void theUsersOwnValueIsReplacedAndGivenBackExactlyOnLeaving() {
    PodSpec pod =
        pod(
            container("2", null)
                .addToEnv(new EnvVarBuilder().withName(VAR).withValue("8").build())
                .build());

    TuningPlan tuned = Tuning.plan(PolicySettings.defaults(), "default", PYTHON, pod);

    assertThat(tuned.env()).containsExactly(new TuningPlan.EnvEdit("app", VAR, "2"));
    String record = annotation(tuned, Annotations.MANAGED_ENV);
    assertThat(record).isNotNull();

    PodSpec applied =
        pod(
            container("2", null)
                .addToEnv(new EnvVarBuilder().withName(VAR).withValue("2").build())
                .build());
    Map<String, String> left = new HashMap<>();
    left.put(Annotations.MANAGED_ENV, record);
    TuningPlan back = Tuning.plan(null, "default", left, applied);

    assertThat(back.env()).containsExactly(new TuningPlan.EnvEdit("app", VAR, "8"));
  }

  @Test
  void onlyAWholeProcessorCountInItsOwnVariableIsARecordItCouldHaveWritten() {
    PythonProfile python = new PythonProfile();

    assertThat(python.wrote(VAR, new ManagedEnv.Entry("4", null))).isTrue();
    assertThat(python.wrote(VAR, new ManagedEnv.Entry("0", null))).isFalse();
    assertThat(python.wrote(VAR, new ManagedEnv.Entry("two", null))).isFalse();
    assertThat(python.wrote("GOMAXPROCS", new ManagedEnv.Entry("4", null))).isFalse();
  }

  private static String annotation(TuningPlan plan, String key) {
    return plan.annotations().stream()
        .filter(edit -> edit.key().equals(key))
        .map(TuningPlan.AnnotationEdit::value)
        .findFirst()
        .orElse(null);
  }

  private static ContainerEvaluation only(PolicySettings settings, PodSpec pod) {
    return WorkloadEvaluator.evaluate(settings, PYTHON, pod).containers().get(0);
  }

  private static ContainerBuilder container(String limit, String request) {
    ContainerBuilder builder = new ContainerBuilder().withName("app").withImage("python:3.13");
    var resources = builder.editOrNewResources();
    if (limit != null) {
      resources.addToLimits("cpu", quantity(limit));
    }
    if (request != null) {
      resources.addToRequests("cpu", quantity(request));
    }
    return resources.endResources();
  }

  private static PodSpec pod(io.fabric8.kubernetes.api.model.Container container) {
    return new PodSpecBuilder().addToContainers(container).build();
  }
}
