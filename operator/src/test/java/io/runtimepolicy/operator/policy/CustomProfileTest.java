package io.runtimepolicy.operator.policy;

import static io.runtimepolicy.operator.policy.CpuPolicyTest.quantity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.runtimepolicy.api.v1alpha1.CustomEnvSpec;
import io.runtimepolicy.api.v1alpha1.CustomRuntimeSpec;
import io.runtimepolicy.api.v1alpha1.CustomValue;
import io.runtimepolicy.api.v1alpha1.ProcessorSpec;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runtimes a policy declares: their values, beside built-in ones, leaving, and bad declarations.
 */
class CustomProfileTest {

  private static final String TOKIO = "runtimepolicy.io/tokio-tuning";
  private static final String WORKERS = "TOKIO_WORKER_THREADS";
  private static final String HEAP = "APP_MAX_HEAP_MIB";

  /** The contract's example: Floor, workers from the CPU, 75 % of the memory limit in MiB. */
  private static PolicySettings tokio() {
    ProcessorSpec processors = new ProcessorSpec();
    processors.setRounding(Rounding.Floor);
    return policy(
        new CustomRuntimeSpec(
            "tokio",
            processors,
            List.of(
                new CustomEnvSpec(WORKERS, CustomValue.Processors, null),
                new CustomEnvSpec(HEAP, CustomValue.MemoryLimitMiB, 75))));
  }

  private static PolicySettings policy(CustomRuntimeSpec... custom) {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setCustom(new ArrayList<>(Arrays.asList(custom)));
    return PolicySettings.from(spec);
  }

  @Test
  void theContractsExampleSetsEachVariableFromTheContainersResources() {
    ContainerEvaluation app =
        only(tokio(), Map.of(TOKIO, "enabled"), pod(container("2500m", "1Gi").build()));

    assertThat(app.runtime()).isEqualTo("tokio");
    assertThat(app.desired()).containsExactly(Map.entry(WORKERS, "2"), Map.entry(HEAP, "768"));
    assertThat(app.findings()).isEmpty();
  }

  @ParameterizedTest(name = "{0} of {1} at {2}% -> {3}")
  @CsvSource({
    "MemoryLimitMiB, 1Gi, 100, 1024",
    "MemoryLimitMiB, 1Gi, 1, 10",
    "MemoryLimitMiB, 1500Mi, 33, 495",
    "MemoryLimitMiB, 1Mi, 1, 1",
    "MemoryLimitBytes, 1Gi, 100, 1073741824",
    "MemoryLimitBytes, 1G, 75, 750000000",
    "MemoryLimitBytes, 1Mi, 1, 10485",
    "MemoryLimitBytes, 1e20, 100, 9223372036854775807",
  })
  void memoryValuesAreTheShareOfTheLimitRoundedDown(
      CustomValue value, String limit, int percent, String expected) {
    PolicySettings settings =
        policy(new CustomRuntimeSpec("app", null, List.of(new CustomEnvSpec("M", value, percent))));

    assertThat(only(settings, optIn("app"), pod(container("1", limit).build())).desired())
        .containsExactly(Map.entry("M", expected));
  }

  @Test
  void withoutAPercentAMemoryValueIsTheWholeLimit() {
    PolicySettings settings =
        policy(
            new CustomRuntimeSpec(
                "app", null, List.of(new CustomEnvSpec("M", CustomValue.MemoryLimitMiB, null))));

    assertThat(only(settings, optIn("app"), pod(container("1", "256Mi").build())).desired())
        .containsExactly(Map.entry("M", "256"));
  }

  @Test
  void withoutAMemoryLimitOnlyTheProcessorsAreSetAndAFindingSaysWhy() {
    ContainerEvaluation app =
        only(tokio(), Map.of(TOKIO, "enabled"), pod(container("3", null).build()));

    assertThat(app.desired()).containsExactly(Map.entry(WORKERS, "3"));
    assertThat(app.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.MEMORY_LIMIT_MISSING,
                "container app: no memory limit, so " + HEAP + " is not set"));
  }

  @Test
  void withoutACpuQuantityTheProcessorsAreNotSetAndTheFindingNamesTheVariable() {
    ContainerEvaluation app =
        only(tokio(), Map.of(TOKIO, "enabled"), pod(container(null, "1Gi").build()));

    assertThat(app.desired()).containsExactly(Map.entry(HEAP, "768"));
    assertThat(app.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.CPU_QUANTITY_MISSING,
                "container app: no CPU limit or request, so " + WORKERS + " is not set"));
  }

  @Test
  void itsProcessorFieldsAreItsOwn() {
    ProcessorSpec processors = new ProcessorSpec();
    processors.setMaxProcessors(2);
    PolicySettings settings =
        policy(
            new CustomRuntimeSpec(
                "rayon",
                processors,
                List.of(new CustomEnvSpec("RAYON_NUM_THREADS", CustomValue.Processors, null))));

    Map<String, String> annotations =
        Map.of(optInKey("rayon"), "enabled", "runtimepolicy.io/java-tuning", "enabled");
    ContainerEvaluation app = only(settings, annotations, pod(container("6", null).build()));

    assertThat(app.runtime()).isEqualTo("Java+rayon");
    assertThat(app.activeProcessorCount()).isEqualTo(6);
    assertThat(app.desired()).containsEntry("RAYON_NUM_THREADS", "2");
  }

  @Test
  void itCombinesWithALanguageRuntimeAndAnAddOnOnOneContainer() {
    Map<String, String> annotations =
        Map.of(
            TOKIO,
            "enabled",
            "runtimepolicy.io/python-tuning",
            "enabled",
            "runtimepolicy.io/openmp-tuning",
            "enabled");

    ContainerEvaluation app = only(tokio(), annotations, pod(container("2", "1Gi").build()));

    assertThat(app.runtime()).isEqualTo("Python+OpenMP+tokio");
    assertThat(app.desired())
        .containsKeys("PYTHON_CPU_COUNT", "OMP_NUM_THREADS", WORKERS, HEAP)
        .containsEntry(WORKERS, "2");
  }

  @Test
  void itsContainersAnnotationLimitsIt() {
    Map<String, String> annotations =
        Map.of(
            TOKIO,
            "enabled",
            "runtimepolicy.io/tokio-containers",
            "worker",
            "runtimepolicy.io/go-tuning",
            "enabled");
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            tokio(),
            annotations,
            pod(
                container("2", "1Gi").withName("app").build(),
                container("4", "1Gi").withName("worker").build()));

    assertThat(evaluation.containers())
        .extracting(ContainerEvaluation::name, ContainerEvaluation::runtime)
        .containsExactly(tuple("app", "Go"), tuple("worker", "Go+tokio"));
    assertThat(evaluation.containers().get(0).desired()).doesNotContainKey(WORKERS);
    assertThat(evaluation.containers().get(1).desired()).containsEntry(WORKERS, "4");
  }

  @Test
  void aVariableABuiltInRuntimeAlsoSetsOnTheContainerIsAFindingAndNeitherSetsIt() {
    PolicySettings settings =
        policy(
            new CustomRuntimeSpec(
                "blas",
                null,
                List.of(new CustomEnvSpec("OMP_NUM_THREADS", CustomValue.Processors, null))));
    Map<String, String> annotations =
        Map.of(optInKey("blas"), "enabled", "runtimepolicy.io/openmp-tuning", "enabled");

    ContainerEvaluation app = only(settings, annotations, pod(container("2", null).build()));

    assertThat(app.desired()).doesNotContainKey("OMP_NUM_THREADS").containsKey("MKL_NUM_THREADS");
    assertThat(app.findings())
        .extracting(Finding::reason, Finding::message)
        .contains(
            tuple(
                Reasons.RUNTIME_CONFLICT,
                "container app: OMP_NUM_THREADS is set by both openmp and blas, so neither sets"
                    + " it"));
  }

  @Test
  void anOptInThePolicyDoesNotDeclareIsGovernedWithAFindingAndChangesNothing() {
    Map<String, String> annotations = Map.of(TOKIO, "enabled");

    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            PolicySettings.defaults(), annotations, pod(container("2", "1Gi").build()));

    assertThat(Annotations.isGoverned(annotations)).isTrue();
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Skipped);
    assertThat(evaluation.containers()).isEmpty();
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.RUNTIME_UNKNOWN,
                "tokio-tuning is enabled, but the policy has no runtime tokio: declare it in"
                    + " spec.custom"));
  }

  @Test
  void anOptInIsExactlyEnabledOnATuningAnnotationOfOurs() {
    assertThat(Annotations.isGoverned(Map.of(TOKIO, "Enabled"))).isFalse();
    assertThat(Annotations.isGoverned(Map.of(TOKIO, " enabled"))).isFalse();
    assertThat(Annotations.isGoverned(Map.of("example.com/tokio-tuning", "enabled"))).isFalse();
    assertThat(Annotations.isGoverned(Map.of("runtimepolicy.io/tokio-containers", "enabled")))
        .isFalse();
    assertThat(Annotations.isGoverned(Map.of("runtimepolicy.io/-tuning", "enabled"))).isFalse();
  }

  @Test
  void theUsersOwnValueIsReplacedAndGivenBackExactlyWhenThePolicyNoLongerDeclaresIt() {
    PodSpec pod =
        pod(
            container("2", "1Gi")
                .addToEnv(new EnvVarBuilder().withName(WORKERS).withValue("16").build())
                .build());
    Map<String, String> annotations = Map.of(TOKIO, "enabled");

    TuningPlan tuned = Tuning.plan(tokio(), "default", annotations, pod);

    assertThat(tuned.env())
        .containsExactly(
            new TuningPlan.EnvEdit("app", WORKERS, "2"),
            new TuningPlan.EnvEdit("app", HEAP, "768"));
    PodSpec applied =
        pod(
            container("2", "1Gi")
                .addToEnv(new EnvVarBuilder().withName(WORKERS).withValue("2").build())
                .addToEnv(new EnvVarBuilder().withName(HEAP).withValue("768").build())
                .build());
    Map<String, String> after = new HashMap<>(annotations);
    after.put(Annotations.MANAGED_ENV, annotation(tuned, Annotations.MANAGED_ENV));

    assertThat(Tuning.plan(tokio(), "default", after, applied).env()).isEmpty();
    TuningPlan back = Tuning.plan(PolicySettings.defaults(), "default", after, applied);

    assertThat(back.env())
        .containsExactly(
            new TuningPlan.EnvEdit("app", WORKERS, "16"),
            new TuningPlan.EnvEdit("app", HEAP, null));
    assertThat(back.recordFindings()).isEmpty();
    assertThat(back.annotations())
        .contains(new TuningPlan.AnnotationEdit(Annotations.MANAGED_ENV, null));
  }

  @Test
  void aRecordEntryNoCustomRuntimeCouldHaveWrittenIsIgnored() {
    assertThat(CustomProfile.couldHaveWritten(WORKERS, new ManagedEnv.Entry("4", "16"))).isTrue();
    assertThat(CustomProfile.couldHaveWritten(HEAP, new ManagedEnv.Entry("1073741824", null)))
        .isTrue();
    assertThat(CustomProfile.couldHaveWritten(WORKERS, new ManagedEnv.Entry("0", null))).isFalse();
    assertThat(CustomProfile.couldHaveWritten(WORKERS, new ManagedEnv.Entry("4 ", null))).isFalse();
    assertThat(CustomProfile.couldHaveWritten("PATH", new ManagedEnv.Entry("4", "/bin"))).isFalse();
    assertThat(CustomProfile.couldHaveWritten("LD_PRELOAD", new ManagedEnv.Entry("4", null)))
        .isFalse();
    assertThat(CustomProfile.couldHaveWritten("NODE_OPTIONS", new ManagedEnv.Entry("4", "x")))
        .isFalse();
  }

  @Test
  void badDeclarationsAreProblemsAndAreIgnoredWhileTheGoodOnesWork() {
    CustomEnvSpec workers = new CustomEnvSpec(WORKERS, CustomValue.Processors, null);
    PolicySettings settings =
        policy(
            new CustomRuntimeSpec("java", null, List.of(workers)),
            new CustomRuntimeSpec("Tokio", null, List.of(workers)),
            new CustomRuntimeSpec("x".repeat(53), null, List.of(workers)),
            new CustomRuntimeSpec(null, null, List.of(workers)),
            new CustomRuntimeSpec(
                "tokio",
                null,
                List.of(
                    workers,
                    new CustomEnvSpec("PATH", CustomValue.Processors, null),
                    new CustomEnvSpec("JAVA_TOOL_OPTIONS", CustomValue.MemoryLimitMiB, 50),
                    new CustomEnvSpec("1X", CustomValue.Processors, null),
                    new CustomEnvSpec(WORKERS, CustomValue.MemoryLimitMiB, null),
                    new CustomEnvSpec("A", CustomValue.Processors, 50),
                    new CustomEnvSpec("B", CustomValue.MemoryLimitBytes, 101),
                    new CustomEnvSpec("C", null, null))),
            new CustomRuntimeSpec("tokio", null, List.of(workers)),
            new CustomRuntimeSpec("empty", null, List.of()));

    assertThat(settings.customs())
        .extracting(CustomProfile::name)
        .containsExactly("tokio", "empty");
    assertThat(settings.customs().get(0).env())
        .extracting(CustomProfile.Variable::name)
        .containsExactly(WORKERS);
    assertThat(settings.problems())
        .containsExactly(
            "custom[0]: name java is a built-in runtime; the runtime is ignored",
            "custom[1]: name \"Tokio\" is not a lower-case DNS label of at most 52 characters;"
                + " the runtime is ignored",
            "custom[2]: name \""
                + "x".repeat(53)
                + "\" is not a lower-case DNS label of at most 52 characters; the runtime is"
                + " ignored",
            "custom[3]: it has no name; the runtime is ignored",
            "custom[4] (tokio): variable \"PATH\" is not an env variable name, or is a system or"
                + " options variable; the variable is not set",
            "custom[4] (tokio): variable \"JAVA_TOOL_OPTIONS\" is not an env variable name, or is"
                + " a system or options variable; the variable is not set",
            "custom[4] (tokio): variable \"1X\" is not an env variable name, or is a system or"
                + " options variable; the variable is not set",
            "custom[4] (tokio): variable TOKIO_WORKER_THREADS is listed twice; the variable is"
                + " not set",
            "custom[4] (tokio): variable A is Processors, which takes no percent; the variable"
                + " is not set",
            "custom[4] (tokio): variable B has percent 101, not 1 to 100; the variable is not"
                + " set",
            "custom[4] (tokio): variable C has no value Processors, MemoryLimitMiB or"
                + " MemoryLimitBytes; the variable is not set",
            "custom[5]: name tokio is declared twice; the runtime is ignored",
            "custom[6] (empty): no variable to set; the runtime sets nothing");
  }

  @Test
  void aSpecWithoutCustomRuntimesHasOnlyTheBuiltInOnes() {
    assertThat(PolicySettings.defaults().profiles()).isEqualTo(RuntimeProfiles.ALL);
    assertThat(tokio().profiles()).hasSize(RuntimeProfiles.ALL.size() + 1);
    assertThat(tokio()).isEqualTo(tokio());
  }

  private static Map<String, String> optIn(String name) {
    return Map.of(optInKey(name), "enabled");
  }

  private static String optInKey(String name) {
    return "runtimepolicy.io/" + name + "-tuning";
  }

  private static String annotation(TuningPlan plan, String key) {
    return plan.annotations().stream()
        .filter(edit -> edit.key().equals(key))
        .findFirst()
        .map(TuningPlan.AnnotationEdit::value)
        .orElse(null);
  }

  private static ContainerEvaluation only(
      PolicySettings settings, Map<String, String> annotations, PodSpec pod) {
    return WorkloadEvaluator.evaluate(settings, annotations, pod).containers().get(0);
  }

  private static ContainerBuilder container(String cpuLimit, String memoryLimit) {
    ContainerBuilder builder = new ContainerBuilder().withName("app").withImage("app:1");
    var resources = builder.editOrNewResources();
    if (cpuLimit != null) {
      resources.addToLimits("cpu", quantity(cpuLimit));
    }
    if (memoryLimit != null) {
      resources.addToLimits("memory", quantity(memoryLimit));
    }
    return resources.endResources();
  }

  private static PodSpec pod(io.fabric8.kubernetes.api.model.Container... containers) {
    return new PodSpecBuilder().addToContainers(containers).build();
  }
}
