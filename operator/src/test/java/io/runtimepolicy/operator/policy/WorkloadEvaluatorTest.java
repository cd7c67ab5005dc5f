package io.runtimepolicy.operator.policy;

import static io.runtimepolicy.operator.policy.CpuPolicyTest.quantity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WorkloadEvaluatorTest {

  private static final PolicySettings DEFAULTS = PolicySettings.defaults();
  private static final String JTO = "JAVA_TOOL_OPTIONS";

  static ContainerBuilder container(String name, String cpuLimit, String cpuRequest) {
    ContainerBuilder builder = new ContainerBuilder().withName(name).withImage("app:1");
    builder.withNewResources().endResources();
    if (cpuLimit != null) {
      builder.editResources().addToLimits("cpu", quantity(cpuLimit)).endResources();
    }
    if (cpuRequest != null) {
      builder.editResources().addToRequests("cpu", quantity(cpuRequest)).endResources();
    }
    return builder;
  }

  static PodSpec pod(ContainerBuilder... containers) {
    PodSpecBuilder pod = new PodSpecBuilder();
    for (ContainerBuilder container : containers) {
      pod.addToContainers(container.build());
    }
    return pod.build();
  }

  static Map<String, String> annotations(String... keyValues) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(Annotations.JAVA_TUNING, "enabled");
    for (int i = 0; i < keyValues.length; i += 2) {
      annotations.put(keyValues[i], keyValues[i + 1]);
    }
    return annotations;
  }

  static PolicySettings withMaxRam(String percentage) {
    return new PolicySettings(
        Mode.Enforce,
        JTO,
        CpuSource.LimitOrRequest,
        Rounding.Ceil,
        1,
        null,
        new BigDecimal(percentage),
        "5s");
  }

  @Test
  void multiContainerPodGovernsEveryRegularContainerButNeverInitContainers() {
    PodSpec pod =
        pod(
            container("app", "2", null).addToEnv(new EnvVar(JTO, "-Xss512k", null)),
            container("worker", null, "500m"),
            container("sidecar", null, null));
    pod.setInitContainers(List.of(container("init", "4", null).build()));

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(DEFAULTS, annotations(), pod);

    assertThat(evaluation.containers())
        .extracting(ContainerEvaluation::name)
        .containsExactly("app", "worker", "sidecar");
    assertThat(evaluation.desiredValues())
        .containsExactly(
            Map.entry("app", "-Xss512k -XX:ActiveProcessorCount=2"),
            Map.entry("worker", "-XX:ActiveProcessorCount=1"));
    ContainerEvaluation worker = evaluation.containers().get(1);
    assertThat(worker.cpu()).isEqualTo("500m");
    assertThat(worker.cpuOrigin()).isEqualTo(CpuOrigin.Request);
    assertThat(worker.current()).doesNotContainKey(JTO);
    assertThat(evaluation.containers().get(2).desired()).isEmpty();
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::container)
        .containsExactly(tuple(Reasons.CPU_QUANTITY_MISSING, "sidecar"));
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Pending);
    assertThat(evaluation.needsChange()).isTrue();
  }

  @Test
  void writingTheDesiredValuesMakesItTunedWithNothingMoreToWrite() {
    PodSpec pod =
        pod(
            container("app", "1500m", null)
                .addToEnv(
                    new EnvVar(
                        JTO, "-Dgreeting=\"hello  world\" -XX:ActiveProcessorCount=16", null)),
            container("worker", "3", null));
    WorkloadEvaluation first = WorkloadEvaluator.evaluate(DEFAULTS, annotations(), pod);
    assertThat(first.state()).isEqualTo(WorkloadState.Pending);

    PodSpec written = write(pod, first.desiredValues());
    WorkloadEvaluation second = WorkloadEvaluator.evaluate(DEFAULTS, annotations(), written);

    assertThat(second.state()).isEqualTo(WorkloadState.Tuned);
    assertThat(second.needsChange()).isFalse();
    assertThat(second.desiredValues())
        .containsExactly(
            Map.entry("app", "-Dgreeting=\"hello  world\" -XX:ActiveProcessorCount=2"),
            Map.entry("worker", "-XX:ActiveProcessorCount=3"));
    assertThat(second.flagDrift()).isEmpty();
  }

  /** What the reconciler does with desiredValues: set the env var, keep everything else. */
  private static PodSpec write(PodSpec pod, Map<String, String> desired) {
    PodSpec copy = new PodSpecBuilder(pod).build();
    for (Container container : copy.getContainers()) {
      String value = desired.get(container.getName());
      if (value != null) {
        container.getEnv().removeIf(env -> env.getName().equals(JTO));
        container.getEnv().add(new EnvVar(JTO, value, null));
      }
    }
    return copy;
  }

  @Test
  void containersAnnotationSelectsAndReportsNamesNotInThePod() {
    PodSpec pod = pod(container("app", "2", null), container("worker", "1", null));
    pod.setInitContainers(List.of(container("migrate", "1", null).build()));
    Map<String, String> annotations =
        annotations(Annotations.CONTAINERS, " worker , ghost,migrate ");

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(DEFAULTS, annotations, pod);

    assertThat(evaluation.containers())
        .extracting(ContainerEvaluation::name)
        .containsExactly("worker");
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::container, Finding::severity)
        .containsExactly(
            tuple(Reasons.CONTAINER_NOT_FOUND, "ghost", Finding.Severity.Notice),
            tuple(Reasons.CONTAINER_NOT_FOUND, "migrate", Finding.Severity.Notice));
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Pending);
  }

  @Test
  void valueFromIsLeftAloneWithANotice() {
    EnvVar fromConfigMap =
        new EnvVarBuilder()
            .withName(JTO)
            .withNewValueFrom()
            .withNewConfigMapKeyRef("opts", "jvm", false)
            .endValueFrom()
            .build();
    PodSpec pod = pod(container("app", "2", null).addToEnv(fromConfigMap));

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(DEFAULTS, annotations(), pod);

    ContainerEvaluation app = evaluation.containers().get(0);
    assertThat(app.desired()).isEmpty();
    assertThat(app.current()).isEmpty();
    assertThat(app.activeProcessorCount()).isEqualTo(2);
    assertThat(app.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.OPTIONS_FROM_VALUE_FROM,
                "container app: JAVA_TOOL_OPTIONS is set with valueFrom, so it is left alone"));
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Skipped);
  }

  @Test
  void badAppReadTimeoutAnnotationFallsBackToThePolicy() {
    PodSpec pod = pod(container("app", "2", null).withLivenessProbe(liveness(10)));
    Map<String, String> annotations = annotations(Annotations.APP_READ_TIMEOUT, "5 seconds");

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(DEFAULTS, annotations, pod);

    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::container, Finding::severity)
        .containsExactly(
            tuple(Reasons.APP_READ_TIMEOUT_INVALID, null, Finding.Severity.Notice),
            tuple(Reasons.LIVENESS_TIMEOUT_TOO_LONG, "app", Finding.Severity.Violation));
    assertThat(evaluation.findings().get(0).message())
        .isEqualTo(
            "annotation runtimepolicy.io/app-read-timeout \"5 seconds\" is not a duration;"
                + " using the policy's 5s");
    assertThat(evaluation.containers().get(0).appReadTimeout()).isEqualTo("5s");
    assertThat(evaluation.containers().get(0).livenessTimeoutSeconds()).isEqualTo(10);
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Violation);
    assertThat(evaluation.hasViolation()).isTrue();
  }

  @Test
  void appReadTimeoutAnnotationOverridesThePolicy() {
    PodSpec pod = pod(container("app", "2", null).withLivenessProbe(liveness(10)));
    Map<String, String> annotations = annotations(Annotations.APP_READ_TIMEOUT, " 15s ");

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(DEFAULTS, annotations, pod);

    assertThat(evaluation.findings()).isEmpty();
    assertThat(evaluation.containers().get(0).appReadTimeout()).isEqualTo("15s");
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Pending);
  }

  @Test
  void anUnparseablePolicyTimeoutSkipsProbeChecksAndSaysSo() {
    PolicySettings broken = new PolicySettings(null, null, null, null, 1, null, null, "soon");
    PodSpec pod = pod(container("app", "2", null).withLivenessProbe(liveness(10)));

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(broken, annotations(), pod);

    assertThat(evaluation.findings())
        .extracting(Finding::reason)
        .containsExactly(Reasons.APP_READ_TIMEOUT_INVALID);
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Pending);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void stateDoesNotDependOnTheMode(Mode mode) {
    PolicySettings settings = new PolicySettings(mode, null, null, null, 1, null, null, null);
    PodSpec violating = pod(container("app", "2", null).withLivenessProbe(liveness(5)));
    PodSpec pending = pod(container("app", "2", null));
    PodSpec tuned =
        pod(
            container("app", "2", null)
                .addToEnv(new EnvVar(JTO, "-XX:ActiveProcessorCount=2", null)));
    PodSpec skipped = pod(container("app", null, null));

    assertThat(WorkloadEvaluator.evaluate(settings, annotations(), violating).state())
        .isEqualTo(WorkloadState.Violation);
    assertThat(WorkloadEvaluator.evaluate(settings, annotations(), pending).state())
        .isEqualTo(WorkloadState.Pending);
    assertThat(WorkloadEvaluator.evaluate(settings, annotations(), tuned).state())
        .isEqualTo(WorkloadState.Tuned);
    assertThat(WorkloadEvaluator.evaluate(settings, annotations(), skipped).state())
        .isEqualTo(WorkloadState.Skipped);
  }

  @Test
  void maxRamPercentageOnlyWithAMemoryLimit() {
    PodSpec pod =
        pod(
            container("limited", "2", null)
                .editResources()
                .addToLimits("memory", quantity("1Gi"))
                .endResources(),
            container("unlimited", "2", null)
                .editResources()
                .addToRequests("memory", quantity("1Gi"))
                .endResources(),
            container("broken", "2", null)
                .editResources()
                .addToLimits("memory", quantity("lots"))
                .endResources());

    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(withMaxRam("62.5"), annotations(), pod);

    assertThat(evaluation.desiredValues())
        .containsExactly(
            Map.entry("limited", "-XX:ActiveProcessorCount=2 -XX:MaxRAMPercentage=62.5"),
            Map.entry("unlimited", "-XX:ActiveProcessorCount=2"),
            Map.entry("broken", "-XX:ActiveProcessorCount=2"));
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::container)
        .containsExactly(tuple(Reasons.MEMORY_QUANTITY_INVALID, "broken"));
    assertThat(
            WorkloadEvaluator.evaluate(withMaxRam("75"), annotations(), pod)
                .desiredValues()
                .get("limited"))
        .isEqualTo("-XX:ActiveProcessorCount=2 -XX:MaxRAMPercentage=75.0");
  }

  @Test
  void flagDriftReportsManagedFlagsThatDiffer() {
    PodSpec pod =
        pod(
            container("app", "2", null)
                .addToEnv(new EnvVar(JTO, "-Xss512k -XX:ActiveProcessorCount=16", null)),
            container("same", "2", null)
                .editResources()
                .addToLimits("memory", quantity("1Gi"))
                .endResources()
                .addToEnv(new EnvVar(JTO, "-XX:MaxRAMPercentage=75", null)),
            container("both", "2", null)
                .editResources()
                .addToLimits("memory", quantity("1Gi"))
                .endResources()
                .addToEnv(
                    new EnvVar(JTO, "-XX:ActiveProcessorCount -XX:MaxRAMPercentage=50", null)));

    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(withMaxRam("75"), annotations(), pod);

    assertThat(evaluation.flagDrift())
        .extracting(Finding::reason, Finding::severity, Finding::message)
        .containsExactly(
            tuple(
                Reasons.MANAGED_FLAGS_DIFFER,
                Finding.Severity.Notice,
                "container app: JAVA_TOOL_OPTIONS has -XX:ActiveProcessorCount=16, the policy"
                    + " computes 2"),
            tuple(
                Reasons.MANAGED_FLAGS_DIFFER,
                Finding.Severity.Notice,
                "container both: JAVA_TOOL_OPTIONS has -XX:ActiveProcessorCount, the policy"
                    + " computes 2"),
            tuple(
                Reasons.MANAGED_FLAGS_DIFFER,
                Finding.Severity.Notice,
                "container both: JAVA_TOOL_OPTIONS has -XX:MaxRAMPercentage=50, the policy"
                    + " computes 75.0"));
    assertThat(evaluation.findings()).isEmpty();
  }

  @Test
  void messagesStayShortForA63CharacterContainerName() {
    String name = "c".repeat(63);
    EnvVar fromSecret =
        new EnvVarBuilder()
            .withName(JTO)
            .withNewValueFrom()
            .withNewSecretKeyRef("k", "s", false)
            .endValueFrom()
            .build();
    PodSpec pod =
        pod(
            container(name, null, null).withLivenessProbe(liveness(30)),
            container(name.substring(1) + "0", "-1", null),
            container(name.substring(1) + "1", "2", null)
                .editResources()
                .addToLimits("memory", quantity("-1Gi"))
                .endResources()
                .addToEnv(new EnvVar(JTO, "-XX:ActiveProcessorCount=64", null)),
            container(name.substring(1) + "2", "2", null).addToEnv(fromSecret),
            container(name.substring(1) + "3", "ten", null));
    Map<String, String> annotations =
        annotations(
            Annotations.CONTAINERS,
            String.join(
                ",",
                name,
                name.substring(1) + "0",
                name.substring(1) + "1",
                name.substring(1) + "2",
                name.substring(1) + "3",
                "g".repeat(63)),
            Annotations.APP_READ_TIMEOUT,
            "x".repeat(300));

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(withMaxRam("75"), annotations, pod);

    assertThat(evaluation.findings())
        .extracting(Finding::reason)
        .contains(
            Reasons.APP_READ_TIMEOUT_INVALID,
            Reasons.CONTAINER_NOT_FOUND,
            Reasons.CPU_QUANTITY_MISSING,
            Reasons.LIVENESS_TIMEOUT_TOO_LONG,
            Reasons.MEMORY_QUANTITY_INVALID,
            Reasons.OPTIONS_FROM_VALUE_FROM,
            Reasons.CPU_QUANTITY_INVALID);
    assertThat(evaluation.flagDrift()).hasSize(1);
    assertThat(evaluation.findings().get(0).message()).endsWith("using the policy's 5s");
    for (Finding finding : concat(evaluation.findings(), evaluation.flagDrift())) {
      assertThat(finding.message()).hasSizeLessThan(120);
      assertThat(("runtimepolicy: " + finding.message()).length()).isLessThan(120);
    }
  }

  private static List<Finding> concat(List<Finding> a, List<Finding> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  @Test
  void nullInputsMeanDefaultsAndNothingToDo() {
    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(null, null, null);
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Skipped);
    assertThat(evaluation.containers()).isEmpty();
    assertThat(evaluation.findings()).isEmpty();
    assertThat(evaluation.desiredValues()).isEmpty();
    assertThat(evaluation.needsChange()).isFalse();
    assertThat(WorkloadEvaluator.evaluate(null, null, new PodSpec()).state())
        .isEqualTo(WorkloadState.Skipped);
  }

  @Test
  void envVarPresenceEmptyValueDuplicatesAndCustomName() {
    PodSpec pod =
        pod(
            container("empty", "1", null).addToEnv(new EnvVar(JTO, null, null)),
            container("twice", "1", null)
                .addToEnv(new EnvVar(JTO, "-Da", null), new EnvVar(JTO, "-Db", null)),
            container("custom", "1", null).addToEnv(new EnvVar("JDK_JAVA_OPTIONS", "-Dc", null)));
    WorkloadEvaluation standard = WorkloadEvaluator.evaluate(DEFAULTS, annotations(), pod);
    assertThat(standard.containers())
        .extracting(c -> c.current().get(JTO))
        .containsExactly("", "-Db", null);

    PolicySettings custom =
        new PolicySettings(null, "JDK_JAVA_OPTIONS", null, null, 1, null, null, null);
    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(custom, annotations(), pod);
    assertThat(evaluation.desiredValues().get("custom"))
        .isEqualTo("-Dc -XX:ActiveProcessorCount=1");
    assertThat(evaluation.optionsEnvVar()).isEqualTo("JDK_JAVA_OPTIONS");
  }

  private static Probe liveness(int timeoutSeconds) {
    return new ProbeBuilder()
        .withNewTcpSocket()
        .withNewPort(8080)
        .endTcpSocket()
        .withTimeoutSeconds(timeoutSeconds)
        .build();
  }
}
