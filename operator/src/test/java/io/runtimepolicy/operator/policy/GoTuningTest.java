package io.runtimepolicy.operator.policy;

import static io.runtimepolicy.operator.policy.CpuPolicyTest.quantity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import io.runtimepolicy.api.v1alpha1.GoSpec;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Go profile and the choice of runtime per container, through the one engine entry point. */
class GoTuningTest {

  private static final PolicySettings DEFAULTS = PolicySettings.defaults();
  private static final String GOMAXPROCS = "GOMAXPROCS";
  private static final String GOMEMLIMIT = "GOMEMLIMIT";
  private static final String JTO = "JAVA_TOOL_OPTIONS";

  @Test
  void limitsGiveGomaxprocsAndNinetyPercentOfTheMemoryLimitInWholeMib() {
    ContainerEvaluation proxy =
        only(go(), pod(container("proxy").limit("cpu", "500m").limit("memory", "512Mi")));

    assertThat(proxy.runtime()).isEqualTo("Go");
    assertThat(proxy.desired())
        .containsExactly(Map.entry(GOMAXPROCS, "1"), Map.entry(GOMEMLIMIT, "460MiB"));
    assertThat(proxy.gomaxprocs()).isEqualTo(1);
    assertThat(proxy.gomemlimit()).isEqualTo("460MiB");
    assertThat(proxy.activeProcessorCount()).isNull();
    assertThat(proxy.cpu()).isEqualTo("500m");
    assertThat(proxy.cpuOrigin()).isEqualTo(CpuOrigin.Limit);
    assertThat(proxy.findings()).isEmpty();
  }

  @Test
  void aRequestWithoutLimitsGivesGomaxprocsAndNoGomemlimitWithANotice() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(DEFAULTS, go(), pod(container("proxy").request("cpu", "3")));

    ContainerEvaluation proxy = evaluation.containers().get(0);
    assertThat(proxy.desired()).containsExactly(Map.entry(GOMAXPROCS, "3"));
    assertThat(proxy.gomemlimit()).isNull();
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.MEMORY_LIMIT_MISSING,
                "container proxy: no memory limit, so GOMEMLIMIT is not set"));
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Pending);
  }

  @Test
  void floorRoundingGivesOneForFifteenHundredMillicores() {
    PolicySettings floor = settings(go -> go.setRounding(Rounding.Floor));

    assertThat(only(floor, go(), pod(container("proxy").limit("cpu", "1500m"))).desired())
        .containsEntry(GOMAXPROCS, "1");
    assertThat(only(go(), pod(container("proxy").limit("cpu", "1500m"))).desired())
        .containsEntry(GOMAXPROCS, "2");
  }

  @Test
  void minAndMaxProcessorsClampGomaxprocs() {
    PolicySettings clamp =
        settings(
            go -> {
              go.setMinProcessors(2);
              go.setMaxProcessors(4);
            });

    assertThat(only(clamp, go(), pod(container("a").limit("cpu", "100m"))).gomaxprocs())
        .isEqualTo(2);
    assertThat(only(clamp, go(), pod(container("a").limit("cpu", "16"))).gomaxprocs()).isEqualTo(4);
  }

  @Test
  void goSettingsAreGosOwnNotJavas() {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.getJava().setRounding(Rounding.Floor);
    spec.getJava().setMaxProcessors(1);
    PolicySettings settings = PolicySettings.from(spec);

    assertThat(only(settings, go(), pod(container("a").limit("cpu", "1500m"))).gomaxprocs())
        .isEqualTo(2);
  }

  @Test
  void leaveLimitToRuntimeLeavesALimitedContainerToGoAndStillTunesARequestOnlyOne() {
    PolicySettings leave = settings(go -> go.setLeaveLimitToRuntime(true));
    PodSpec pod =
        pod(
            container("limited").limit("cpu", "2").limit("memory", "1Gi"),
            container("requested").request("cpu", "3"),
            container("cpuOnly").limit("cpu", "2").request("memory", "1Gi"));

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(leave, go(), pod);

    assertThat(evaluation.desiredEnv())
        .containsExactly(
            Map.entry("limited", Map.of(GOMEMLIMIT, "921MiB")),
            Map.entry("requested", Map.of(GOMAXPROCS, "3")));
    assertThat(evaluation.containers().get(0).gomaxprocs()).isNull();
    assertThat(evaluation.containers().get(2).managed()).isFalse();
  }

  @Test
  void aNullPercentageLeavesGomemlimitUnmanagedWithoutANotice() {
    PolicySettings unmanaged = settings(go -> go.setMemoryLimitPercent(null));

    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            unmanaged, go(), pod(container("a").limit("cpu", "1").limit("memory", "1Gi")));

    assertThat(evaluation.desiredEnv()).containsExactly(Map.entry("a", Map.of(GOMAXPROCS, "1")));
    assertThat(evaluation.findings()).isEmpty();
  }

  @ParameterizedTest(name = "{0} at {1}% -> {2}")
  @CsvSource({
    "512Mi, 90, 460MiB",
    "1Gi, 100, 1024MiB",
    "1Gi, 90, 921MiB",
    "1G, 90, 858MiB",
    "64Mi, 1, 671088",
    "1Mi, 50, 524288",
    "128974848, 90, 110MiB",
    "8Ei, 100, 8796093022207MiB",
    "1e30, 90, 7916483719987MiB",
  })
  void gomemlimitIsRoundedDownToWholeMib(String limit, int percent, String expected) {
    assertThat(GoProfile.memLimit(Quantities.parse(limit), percent)).isEqualTo(expected);
  }

  @Test
  void anInvalidMemoryLimitIsANoticeAndGomemlimitIsNotSet() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            DEFAULTS, go(), pod(container("a").limit("cpu", "1").limit("memory", "lots")));

    assertThat(evaluation.desiredEnv()).containsExactly(Map.entry("a", Map.of(GOMAXPROCS, "1")));
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.MEMORY_QUANTITY_INVALID,
                "container a: memory limit \"lots\" is not a Kubernetes quantity, so GOMEMLIMIT is"
                    + " not set"));
  }

  @Test
  void noCpuQuantityStillSetsGomemlimitFromTheMemoryLimit() {
    ContainerEvaluation a = only(go(), pod(container("a").limit("memory", "100Mi")));

    assertThat(a.desired()).containsExactly(Map.entry(GOMEMLIMIT, "90MiB"));
    assertThat(a.findings())
        .extracting(Finding::message)
        .containsExactly("container a: no CPU limit or request, so GOMAXPROCS is not set");
  }

  @Test
  void valueFromOnAManagedVariableLeavesTheContainerAlone() {
    EnvVar fromConfigMap =
        new EnvVarBuilder()
            .withName(GOMEMLIMIT)
            .withNewValueFrom()
            .withNewConfigMapKeyRef("limit", "go", false)
            .endValueFrom()
            .build();
    ContainerEvaluation a =
        only(go(), pod(container("a").limit("cpu", "1").limit("memory", "1Gi").env(fromConfigMap)));

    assertThat(a.desired()).isEmpty();
    assertThat(a.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.OPTIONS_FROM_VALUE_FROM,
                "container a: GOMEMLIMIT is set with valueFrom, so the container is left alone"));
  }

  @Test
  void aUsersOwnValueIsReplacedAndDriftIsReported() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            DEFAULTS,
            go(),
            pod(
                container("a")
                    .limit("cpu", "2")
                    .limit("memory", "1Gi")
                    .env(new EnvVar(GOMAXPROCS, "64", null))
                    .env(new EnvVar(GOMEMLIMIT, "921MiB", null))));

    assertThat(evaluation.containers().get(0).desired()).containsEntry(GOMAXPROCS, "2");
    assertThat(evaluation.needsChange()).isTrue();
    assertThat(evaluation.flagDrift())
        .extracting(Finding::message)
        .containsExactly("container a: GOMAXPROCS is \"64\", the policy computes 2");
  }

  @Test
  void probeTimingIsCheckedForGoContainersToo() {
    ContainerBuilder proxy =
        new ContainerBuilder()
            .withName("proxy")
            .withNewResources()
            .addToLimits("cpu", quantity("1"))
            .endResources()
            .withNewLivenessProbe()
            .withNewHttpGet()
            .withPath("/healthz")
            .withNewPort(8080)
            .endHttpGet()
            .withTimeoutSeconds(10)
            .endLivenessProbe();
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            DEFAULTS, go(), new PodSpecBuilder().addToContainers(proxy.build()).build());

    assertThat(evaluation.state()).isEqualTo(WorkloadState.Violation);
    assertThat(evaluation.findings())
        .extracting(Finding::reason)
        .contains(Reasons.LIVENESS_TIMEOUT_TOO_LONG);
  }

  @Test
  void bothRuntimesInOnePodEachContainerGetsItsOwnRuntimesValuesOnly() {
    Map<String, String> annotations = both();
    annotations.put(Annotations.JAVA_CONTAINERS, "app");
    annotations.put(Annotations.GO_CONTAINERS, "proxy");
    PodSpec pod =
        pod(
            container("app").limit("cpu", "2").limit("memory", "1Gi"),
            container("proxy").limit("cpu", "500m").limit("memory", "512Mi"));

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(withMaxRam(), annotations, pod);

    assertThat(evaluation.desiredEnv())
        .containsExactly(
            Map.entry("app", Map.of(JTO, "-XX:ActiveProcessorCount=2 -XX:MaxRAMPercentage=75.0")),
            Map.entry("proxy", Map.of(GOMAXPROCS, "1", GOMEMLIMIT, "460MiB")));
    assertThat(evaluation.containers())
        .extracting(ContainerEvaluation::runtime, ContainerEvaluation::activeProcessorCount)
        .containsExactly(tuple("Java", 2), tuple("Go", null));
    assertThat(evaluation.desiredValues()).containsOnlyKeys("app");
  }

  @Test
  void oneListNamesItsContainersAndTheRestAreTheOtherRuntime() {
    Map<String, String> annotations = both();
    annotations.put(Annotations.GO_CONTAINERS, "proxy");
    PodSpec pod =
        pod(
            container("app").limit("cpu", "2"),
            container("proxy").limit("cpu", "1"),
            container("worker").limit("cpu", "1"));

    assertThat(WorkloadEvaluator.evaluate(DEFAULTS, annotations, pod).containers())
        .extracting(ContainerEvaluation::name, ContainerEvaluation::runtime)
        .containsExactly(tuple("app", "Java"), tuple("proxy", "Go"), tuple("worker", "Java"));
  }

  @Test
  void bothEnabledWithoutSayingWhichIsWhichIsAFindingNotAGuess() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(DEFAULTS, both(), pod(container("app").limit("cpu", "2")));

    assertThat(evaluation.containers()).isEmpty();
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Skipped);
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::container, Finding::message)
        .containsExactly(
            tuple(
                Reasons.RUNTIME_AMBIGUOUS,
                null,
                "java-tuning and go-tuning both enabled: name them in java-containers or"
                    + " go-containers; none is tuned"));
  }

  @Test
  void aContainerNamedForBothRuntimesIsAFindingAndLeftAlone() {
    Map<String, String> annotations = both();
    annotations.put(Annotations.JAVA_CONTAINERS, "app,shared");
    annotations.put(Annotations.GO_CONTAINERS, "shared,ghost");
    PodSpec pod = pod(container("app").limit("cpu", "2"), container("shared").limit("cpu", "1"));

    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(DEFAULTS, annotations, pod);

    assertThat(evaluation.containers())
        .extracting(ContainerEvaluation::name)
        .containsExactly("app");
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.CONTAINER_NOT_FOUND,
                "container ghost: not among the pod's containers, though"
                    + " runtimepolicy.io/go-containers names it"),
            tuple(
                Reasons.RUNTIME_AMBIGUOUS,
                "container shared: named in java-containers and go-containers, so it is left"
                    + " alone"));
  }

  @Test
  void oneRuntimesContainerListAloneNarrowsItsContainers() {
    Map<String, String> annotations = go();
    annotations.put(Annotations.GO_CONTAINERS, "proxy");
    PodSpec pod = pod(container("app").limit("cpu", "2"), container("proxy").limit("cpu", "1"));

    assertThat(WorkloadEvaluator.evaluate(DEFAULTS, annotations, pod).containers())
        .extracting(ContainerEvaluation::name)
        .containsExactly("proxy");
  }

  @Test
  void goTuningAloneGovernsAndOtherValuesDoNot() {
    assertThat(Annotations.isGoverned(Map.of(Annotations.GO_TUNING, "enabled"))).isTrue();
    assertThat(Annotations.isGoverned(Map.of(Annotations.GO_TUNING, "Enabled"))).isFalse();
    assertThat(Annotations.governingPolicy(Map.of(Annotations.GO_TUNING, "enabled")))
        .contains(Annotations.DEFAULT_POLICY);
  }

  @Test
  void anOutOfRangePercentageIsTreatedAsUnmanaged() {
    assertThat(new GoSettings(null, 0, false).memoryLimitPercent()).isNull();
    assertThat(new GoSettings(null, 101, false).memoryLimitPercent()).isNull();
    assertThat(new GoSettings(null, 100, false).memoryLimitPercent()).isEqualTo(100);
  }

  private static ContainerEvaluation only(Map<String, String> annotations, PodSpec pod) {
    return only(DEFAULTS, annotations, pod);
  }

  private static ContainerEvaluation only(
      PolicySettings settings, Map<String, String> annotations, PodSpec pod) {
    WorkloadEvaluation evaluation = WorkloadEvaluator.evaluate(settings, annotations, pod);
    assertThat(evaluation.containers()).hasSize(1);
    return evaluation.containers().get(0);
  }

  static PolicySettings settings(Consumer<GoSpec> edit) {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    edit.accept(spec.getGo());
    return PolicySettings.from(spec);
  }

  private static PolicySettings withMaxRam() {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.getJava().setMaxRAMPercentage(75.0);
    PolicySettings settings = PolicySettings.from(spec);
    assertThat(settings.java().maxRamPercentage()).isEqualTo(new BigDecimal("75.0"));
    return settings;
  }

  static Map<String, String> go() {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(Annotations.GO_TUNING, "enabled");
    return annotations;
  }

  static Map<String, String> both() {
    Map<String, String> annotations = go();
    annotations.put(Annotations.JAVA_TUNING, "enabled");
    return annotations;
  }

  static Builder container(String name) {
    return new Builder(name);
  }

  static PodSpec pod(Builder... containers) {
    PodSpecBuilder pod = new PodSpecBuilder();
    for (Builder container : containers) {
      pod.addToContainers(container.builder.build());
    }
    return pod.build();
  }

  /** A container by its resources and env. */
  static final class Builder {
    private final ContainerBuilder builder;

    Builder(String name) {
      builder = new ContainerBuilder().withName(name).withImage("app:1");
      builder.withNewResources().endResources();
    }

    Builder limit(String resource, String quantity) {
      builder.editResources().addToLimits(resource, quantity(quantity)).endResources();
      return this;
    }

    Builder request(String resource, String quantity) {
      builder.editResources().addToRequests(resource, quantity(quantity)).endResources();
      return this;
    }

    Builder env(EnvVar env) {
      builder.addToEnv(env);
      return this;
    }
  }
}
