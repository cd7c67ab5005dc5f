package io.runtimepolicy.operator.policy;

import static io.runtimepolicy.operator.policy.GoTuningTest.container;
import static io.runtimepolicy.operator.policy.GoTuningTest.go;
import static io.runtimepolicy.operator.policy.GoTuningTest.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.runtimepolicy.api.OptionsVariables;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.TuningPlan.AnnotationEdit;
import io.runtimepolicy.operator.policy.TuningPlan.EnvEdit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Input a user can write by mistake or copy from another object (issue 24), at the engine. */
class BadInputTest {

  private static final String JTO = "JAVA_TOOL_OPTIONS";

  /** The record of issue 24: PATH and SECRET_URL never managed, JTO's set is not user + flags. */
  private static final String FORGED =
      "{\"app\":{\"PATH\":{\"set\":\"/usr/bin\"},\"SECRET_URL\":{\"set\":\"https://db\"},"
          + "\"JAVA_TOOL_OPTIONS\":{\"set\":\"-Xss512k\",\"user\":\"-Dother\"}}}";

  @ParameterizedTest
  @ValueSource(strings = {"PATH", "HOME", "GOMAXPROCS", "LD_PRELOAD", "LC_ALL", "NODE_OPTIONS"})
  void aSystemOrRuntimeVariableAsOptionsEnvVarIsRefusedAndNothingIsSet(String variable) {
    assertThat(OptionsVariables.allowed(variable)).isFalse();
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.getJava().setOptionsEnvVar(variable);
    PodSpec pod = pod(container("app").limit("cpu", "2").env(env(variable, "/usr/bin:/bin")));

    TuningPlan plan = Tuning.plan(PolicySettings.from(spec), "default", java(), pod);

    assertThat(plan.env()).isEmpty();
    assertThat(plan.annotations()).isEmpty();
    assertThat(plan.evaluation().state()).isEqualTo(WorkloadState.Skipped);
    assertThat(plan.evaluation().findings())
        .extracting(Finding::reason)
        .containsExactly(Reasons.OPTIONS_ENV_VAR_INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS"})
  void jvmOptionsVariablesAndOnesOfTheUsersOwnAreAccepted(String variable) {
    assertThat(OptionsVariables.allowed(variable)).isTrue();
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.getJava().setOptionsEnvVar(variable);

    TuningPlan plan =
        Tuning.plan(
            PolicySettings.from(spec), "default", java(), pod(container("app").limit("cpu", "2")));

    assertThat(plan.env()).containsExactly(new EnvEdit("app", variable, activeProcessors(2)));
  }

  @Test
  void aForgedRecordOnAnUngovernedCreateTouchesNoVariableAndIsDroppedWithWarnings() {
    Map<String, String> annotations = Map.of(Annotations.MANAGED_ENV, FORGED);
    PodSpec pod =
        pod(
            container("app")
                .env(env(JTO, "-Xss512k"))
                .env(env("PATH", "/usr/bin"))
                .env(env("SECRET_URL", "https://db")));

    TuningPlan plan = Tuning.plan(null, null, annotations, pod, Stored.NOTHING);

    assertThat(plan.env()).isEmpty();
    assertThat(plan.annotations())
        .containsExactly(new AnnotationEdit(Annotations.MANAGED_ENV, null));
    assertThat(plan.recordFindings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.MANAGED_ENV_IGNORED, ignored("PATH", "the operator never writes it there")),
            tuple(
                Reasons.MANAGED_ENV_IGNORED,
                ignored("SECRET_URL", "the operator never writes it there")),
            tuple(Reasons.MANAGED_ENV_IGNORED, ignored(JTO, "the operator never writes it there")));
  }

  @Test
  void aForgedRecordOnAStoredObjectIsIgnoredTooAndOnlyWhatTheOperatorCouldHaveWrittenGoesBack() {
    // The webhook was down at the create: the reconciler plans on the stored object.
    String record =
        "{\"app\":{\"PATH\":{\"set\":\"/usr/bin\"},"
            + "\"JAVA_TOOL_OPTIONS\":{\"set\":\"-Xss512k -XX:ActiveProcessorCount=2\","
            + "\"user\":\"-Xss512k\"},\"GOMAXPROCS\":{\"set\":\"all\",\"user\":\"4\"}}}";
    PodSpec pod =
        pod(
            container("app")
                .env(env(JTO, "-Xss512k -XX:ActiveProcessorCount=2"))
                .env(env("PATH", "/usr/bin"))
                .env(env("GOMAXPROCS", "all")));

    TuningPlan plan = Tuning.plan(null, null, Map.of(Annotations.MANAGED_ENV, record), pod);

    assertThat(plan.env()).containsExactly(new EnvEdit("app", JTO, "-Xss512k"));
    assertThat(plan.recordFindings())
        .extracting(Finding::message)
        .containsExactly(
            ignored("PATH", "the operator never writes it there"),
            ignored("GOMAXPROCS", "the operator never writes it there"));
  }

  @Test
  void aCopiedRecordOnANewObjectThatIsNotGovernedGivesNothingBack() {
    // kubectl get -o yaml of a tuned workload, opt-in removed, applied as a new one: its values
    // are what the user sent now.
    String copied =
        "{\"app\":{\"JAVA_TOOL_OPTIONS\":{\"set\":\"-Xss512k -XX:ActiveProcessorCount=2\","
            + "\"user\":\"-Xss512k -XX:ActiveProcessorCount=16\"}}}";
    PodSpec pod = pod(container("app").env(env(JTO, "-Xss512k -XX:ActiveProcessorCount=2")));

    TuningPlan create =
        Tuning.plan(null, null, Map.of(Annotations.MANAGED_ENV, copied), pod, Stored.NOTHING);
    TuningPlan update = Tuning.plan(null, null, Map.of(Annotations.MANAGED_ENV, copied), pod);

    assertThat(create.env()).isEmpty();
    assertThat(create.recordFindings())
        .extracting(Finding::message)
        .containsExactly(ignored(JTO, "a new object that does not govern it"));
    // The same record stored by the operator is honoured: leaving gives the 16 back.
    assertThat(update.env())
        .containsExactly(new EnvEdit("app", JTO, "-Xss512k -XX:ActiveProcessorCount=16"));
    assertThat(update.recordFindings()).isEmpty();
  }

  @Test
  void aCopiedRecordOnANewGovernedObjectIsKeptWhereItGovernsTheSameVariable() {
    // A restore from backup: the record fits what this create manages, so the 16 is still known.
    String copied =
        "{\"app\":{\"JAVA_TOOL_OPTIONS\":{\"set\":\"-Xss512k -XX:ActiveProcessorCount=2\","
            + "\"user\":\"-Xss512k -XX:ActiveProcessorCount=16\"},"
            + "\"GOMAXPROCS\":{\"set\":\"2\",\"user\":\"8\"}}}";
    Map<String, String> annotations = new HashMap<>(java());
    annotations.put(Annotations.MANAGED_ENV, copied);
    PodSpec pod =
        pod(
            container("app")
                .limit("cpu", "2")
                .env(env(JTO, "-Xss512k -XX:ActiveProcessorCount=2"))
                .env(env("GOMAXPROCS", "2")));

    TuningPlan plan =
        Tuning.plan(PolicySettings.defaults(), "default", annotations, pod, Stored.NOTHING);

    assertThat(plan.env()).as("GOMAXPROCS is not this Java container's to give back").isEmpty();
    assertThat(ManagedEnv.parse(valueOf(plan, Annotations.MANAGED_ENV)).containers())
        .isEqualTo(
            Map.of(
                "app",
                Map.of(
                    JTO,
                    new ManagedEnv.Entry(
                        "-Xss512k -XX:ActiveProcessorCount=2",
                        "-Xss512k -XX:ActiveProcessorCount=16"))));
    assertThat(plan.evaluation().findings())
        .extracting(Finding::message)
        .contains(ignored("GOMAXPROCS", "a new object that does not govern it"));
  }

  @Test
  void aWriteThatDropsTheRecordKeepsTheStoredOneSoLeavingStillGivesBack() {
    // kubectl replace of `get -o yaml` without the operator's annotations.
    String stored =
        "{\"app\":{\"JAVA_TOOL_OPTIONS\":{\"set\":\"-Xss512k -XX:ActiveProcessorCount=2\","
            + "\"user\":\"-Xss512k -XX:ActiveProcessorCount=16\"}}}";
    PodSpec pod =
        pod(
            container("app")
                .limit("cpu", "2")
                .env(env(JTO, "-Xss512k -XX:ActiveProcessorCount=2")));

    TuningPlan replaced =
        Tuning.plan(PolicySettings.defaults(), "default", java(), pod, new Stored(true, stored));

    assertThat(replaced.env()).isEmpty();
    assertThat(replaced.annotations())
        .containsExactly(
            new AnnotationEdit(Annotations.MANAGED_ENV, stored),
            new AnnotationEdit(Annotations.TUNED_BY, "default"));
    assertThat(replaced.evaluation().state()).isEqualTo(WorkloadState.Tuned);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "100m", "1023Ki", "1048575"})
  void aMemoryLimitBelowOneMibSetsNoGomemlimitAndSaysSo(String limit) {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            PolicySettings.defaults(),
            go(),
            pod(container("proxy").limit("cpu", "1").limit("memory", limit)));

    assertThat(evaluation.containers().get(0).desired()).containsOnlyKeys("GOMAXPROCS");
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.MEMORY_LIMIT_TOO_SMALL,
                "container proxy: memory limit "
                    + limit
                    + " is below 1Mi, so GOMEMLIMIT is not set"));
  }

  @Test
  void oneMibIsEnoughForAGomemlimit() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            PolicySettings.defaults(), go(), pod(container("proxy").limit("memory", "1Mi")));

    assertThat(evaluation.containers().get(0).desired()).containsEntry("GOMEMLIMIT", "943718");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0m", "0.0"})
  void aZeroCpuLimitSetsNoProcessorsAndSaysSo(String zero) {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(
            PolicySettings.defaults(), java(), pod(container("app").limit("cpu", zero)));

    assertThat(evaluation.containers().get(0).desired()).isEmpty();
    assertThat(evaluation.state()).isEqualTo(WorkloadState.Skipped);
    assertThat(evaluation.findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.CPU_QUANTITY_INVALID,
                "container app: CPU limit " + zero + " is zero, which bounds nothing"));
  }

  @Test
  void aPlanWhoseRecordWouldPassTheAnnotationLimitIsWithheldAndSaysWhy() {
    String huge = "-Dpad=" + "x".repeat(140 * 1024);
    PodSpec pod = pod(container("app").limit("cpu", "2").env(env(JTO, huge)));

    TuningPlan plan = Tuning.plan(PolicySettings.defaults(), "default", java(), pod);

    assertThat(plan.changes()).isFalse();
    assertThat(plan.withheld()).isTrue();
    assertThat(plan.evaluation().state()).isEqualTo(WorkloadState.Skipped);
    assertThat(plan.evaluation().findings())
        .extracting(Finding::reason, Finding::message)
        .containsExactly(
            tuple(
                Reasons.ANNOTATIONS_TOO_LARGE,
                "not tuned: recording the values would take the annotations past Kubernetes'"
                    + " 256 KiB limit"));
    TuningPlan injected =
        Injection.plan(PolicySettings.defaults(), "default", java(), Map.of(), pod);
    assertThat(injected.changes()).as("a withheld pod is not marked injected").isFalse();
  }

  private static String ignored(String variable, String why) {
    return Finding.notice(
            Reasons.MANAGED_ENV_IGNORED,
            "app",
            "ignored the managed-env entry for " + variable + ": " + why)
        .message();
  }

  private static String valueOf(TuningPlan plan, String key) {
    return plan.annotations().stream()
        .filter(edit -> edit.key().equals(key))
        .map(AnnotationEdit::value)
        .findFirst()
        .orElse(null);
  }

  private static String activeProcessors(int n) {
    return "-XX:ActiveProcessorCount=" + n;
  }

  private static Map<String, String> java() {
    return Map.of(Annotations.JAVA_TUNING, "enabled");
  }

  private static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }
}
