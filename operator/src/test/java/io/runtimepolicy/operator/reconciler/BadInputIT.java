package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad and copied input of issue 24, as a user sends it (kubectl or the client), through the real
 * API server and the operator's webhook: a schema refusal, a finding with the right reason, or the
 * user's values untouched.
 */
@WithRealApiServer
class BadInputIT extends WithOperator {

  private static final String JTO = "JAVA_TOOL_OPTIONS";
  private static final String FORGED =
      "{\"app\":{\"PATH\":{\"set\":\"/usr/bin\"},\"SECRET_URL\":{\"set\":\"https://db\"},"
          + "\"JAVA_TOOL_OPTIONS\":{\"set\":\"-Xss512k\",\"user\":\"-Dother\"}}}";

  @TempDir static Path dir;
  private static Cli kubectl;

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of());
    kubectl = Cli.against(client);
  }

  @Test
  void anOptionsEnvVarThatIsASystemOrRuntimeVariableIsRefusedByTheSchema() throws Exception {
    String ns = namespace("options-var");
    for (String variable : List.of("PATH", "HOME", "GOMAXPROCS", "LD_PRELOAD")) {
      Cli.Result result =
          apply(policy(ns, "p-" + variable.toLowerCase().replace('_', '-'), variable));

      assertThat(result.exitCode()).as(variable).isNotZero();
      assertThat(result.stderr())
          .contains(
              "spec.java.optionsEnvVar: Invalid value",
              variable + " is a system or runtime variable, not a JVM options variable");
    }
    apply(policy(ns, "jvm-opts", "JAVA_OPTS")).assertSuccess();
    assertThat(kubectl.kubectl("explain", "runtimepolicy.spec.java.optionsEnvVar").stdout())
        .contains("never a system or runtime variable");
  }

  @Test
  void aForgedRecordOnANewUngovernedDeploymentTouchesNoVariableAndIsDroppedWithWarnings()
      throws Exception {
    String ns = namespace("forged");
    Deployment forged = TestDeployments.deployment("forged").build();
    forged.getMetadata().setAnnotations(Map.of(Annotations.MANAGED_ENV, FORGED));
    List<EnvVar> env =
        List.of(
            new EnvVar(JTO, "-Xss512k", null),
            new EnvVar("PATH", "/usr/bin", null),
            new EnvVar("SECRET_URL", "https://db", null));
    app(forged).setEnv(env);

    Cli.Result result = apply(write("forged", inNamespace(forged, ns))).assertSuccess();

    Deployment stored = client.apps().deployments().inNamespace(ns).withName("forged").get();
    assertThat(app(stored).getEnv()).isEqualTo(env);
    assertThat(stored.getMetadata().getAnnotations()).doesNotContainKey(Annotations.MANAGED_ENV);
    assertThat(result.stderr())
        .contains(
            "Warning: runtimepolicy: container app: ignored the managed-env entry for PATH",
            "Warning: runtimepolicy: container app: ignored the managed-env entry for SECRET_URL",
            "Warning: runtimepolicy: container app: ignored the managed-env entry for"
                + " JAVA_TOOL_OPTIONS");
  }

  @Test
  void aTunedWorkloadCopiedAsANewOneKeepsWhatTheUserSentAndARestoredOneItsRecord() {
    String ns = namespace("copied");
    Deployment source =
        create(
            ns,
            TestDeployments.deployment("source")
                .governed()
                .cpuLimit("2")
                .javaToolOptions("-Xss512k -XX:ActiveProcessorCount=16")
                .build());
    await().untilAsserted(() -> assertThat(envOf(ns, "source")).endsWith("=2"));
    Deployment tuned = client.apps().deployments().inNamespace(ns).withName("source").get();
    assertThat(source).isNotNull();

    // Copied without the opt-in: its values are what the user sends now, the record goes.
    Deployment copy = copyOf(tuned, "copy");
    copy.getMetadata().getAnnotations().remove(Annotations.JAVA_TUNING);
    create(ns, copy);
    // Copied with it (a restore): the record still knows the user's own 16.
    create(ns, copyOf(tuned, "restored"));

    Deployment storedCopy = client.apps().deployments().inNamespace(ns).withName("copy").get();
    assertThat(envOf(ns, "copy")).isEqualTo("-Xss512k -XX:ActiveProcessorCount=2");
    assertThat(storedCopy.getMetadata().getAnnotations())
        .doesNotContainKeys(Annotations.MANAGED_ENV, Annotations.TUNED_BY);
    kubectl
        .kubectl("annotate", "deploy", "restored", "-n", ns, Annotations.JAVA_TUNING + "-")
        .assertSuccess();
    await()
        .untilAsserted(
            () ->
                assertThat(envOf(ns, "restored"))
                    .isEqualTo("-Xss512k -XX:ActiveProcessorCount=16"));
  }

  @Test
  void tinyAndZeroQuantitiesSetNothingAndSayWhy() {
    String ns = namespace("tiny");
    for (String limit : List.of("1", "100m")) {
      Deployment go =
          TestDeployments.deployment("go-" + (limit.equals("1") ? "one" : "milli"))
              .annotation(Annotations.GO_TUNING, "enabled")
              .cpuLimit("1")
              .memoryLimit(limit)
              .build();
      create(ns, go);
    }
    create(ns, TestDeployments.deployment("zero-cpu").governed().cpuLimit("0").build());

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(results(ns))
                    .extracting(WorkloadResult::getName)
                    .contains("go-one", "go-milli", "zero-cpu"));
    for (String name : List.of("go-one", "go-milli")) {
      Deployment stored = client.apps().deployments().inNamespace(ns).withName(name).get();
      assertThat(EnvValues.of(stored, "app", "GOMEMLIMIT")).as(name).isNull();
      assertThat(EnvValues.of(stored, "app", "GOMAXPROCS")).as(name).isEqualTo("1");
      assertThat(result(ns, name).getFindings())
          .anySatisfy(f -> assertThat(f).contains("is below 1Mi, so GOMEMLIMIT is not set"));
    }
    assertThat(envOf(ns, "zero-cpu")).isNull();
    assertThat(result(ns, "zero-cpu").getState()).isEqualTo(WorkloadState.Skipped);
    assertThat(result(ns, "zero-cpu").getFindings())
        .containsExactly("container app: CPU limit 0 is zero, which bounds nothing");
  }

  @Test
  void optionsTooLargeToRecordAreSkippedWithTheirOwnReasonNotAnAdmissionError() throws Exception {
    String ns = namespace("too-large");
    // 100 KB applied client-side: kubectl keeps a copy in last-applied, so the record (set and
    // user) would take the annotations past 256 KiB.
    Deployment big = TestDeployments.deployment("big").governed().cpuLimit("2").build();
    String options = "-Dx=" + "z".repeat(100_000);
    app(big).setEnv(List.of(new EnvVar(JTO, options, null)));
    double writes = operatorWrites();

    Cli.Result result = apply(write("big", inNamespace(big, ns))).assertSuccess();

    assertThat(result.stderr())
        .contains(
            "Warning: runtimepolicy: not tuned: recording the values would take the annotations"
                + " past Kubernetes' 256 KiB limit");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              WorkloadResult big1 = result(ns, "big");
              assertThat(big1.getState()).isEqualTo(WorkloadState.Skipped);
              assertThat(big1.getFindings())
                  .containsExactly(
                      "not tuned: recording the values would take the annotations past"
                          + " Kubernetes' 256 KiB limit");
            });
    assertThat(envOf(ns, "big")).isEqualTo(options);
    // Its cache holds workloads without last-applied, so one write shows it what cannot fit.
    assertThat(operatorWrites())
        .as("operator writes for what cannot fit")
        .isLessThanOrEqualTo(writes + 1);
  }

  @Test
  void aReplaceWithoutTheOperatorsAnnotationsKeepsTheRecordSoLeavingGivesBack() throws Exception {
    String ns = namespace("replaced");
    create(
        ns,
        TestDeployments.deployment("api")
            .governed()
            .cpuLimit("2")
            .javaToolOptions("-Xss512k -XX:ActiveProcessorCount=16")
            .build());
    await().untilAsserted(() -> assertThat(envOf(ns, "api")).endsWith("=2"));
    Deployment got = client.apps().deployments().inNamespace(ns).withName("api").get();
    got.getMetadata().getAnnotations().remove(Annotations.MANAGED_ENV);
    got.getMetadata().getAnnotations().remove(Annotations.TUNED_BY);
    got.getMetadata().setManagedFields(null);

    kubectl.kubectl("replace", "-f", write("api", got).toString()).assertSuccess();

    Map<String, String> stored =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("api")
            .get()
            .getMetadata()
            .getAnnotations();
    assertThat(stored).containsEntry(Annotations.TUNED_BY, "default");
    assertThat(stored.get(Annotations.MANAGED_ENV)).contains("-XX:ActiveProcessorCount=16");
    await()
        .untilAsserted(
            () -> assertThat(result(ns, "api").getState()).isEqualTo(WorkloadState.Tuned));
    kubectl
        .kubectl("annotate", "deploy", "api", "-n", ns, Annotations.JAVA_TUNING + "-")
        .assertSuccess();
    assertThat(envOf(ns, "api")).isEqualTo("-Xss512k -XX:ActiveProcessorCount=16");
  }

  private static Path policy(String ns, String name, String optionsEnvVar) throws Exception {
    String yaml =
        """
        apiVersion: runtimepolicy.io/v1alpha1
        kind: RuntimePolicy
        metadata: {name: %s, namespace: %s}
        spec:
          java: {optionsEnvVar: %s}
        """
            .formatted(name, ns, optionsEnvVar);
    return Files.writeString(dir.resolve(ns + "-" + name + ".yaml"), yaml);
  }

  private static Path write(String name, Deployment deployment) throws Exception {
    return Files.writeString(dir.resolve(name + ".yaml"), Serialization.asYaml(deployment));
  }

  private static Deployment inNamespace(Deployment deployment, String ns) {
    deployment.getMetadata().setNamespace(ns);
    return deployment;
  }

  private static Cli.Result apply(Path manifest) {
    return kubectl.kubectl("apply", "-f", manifest.toString());
  }

  /** What a user gets from {@code kubectl get -o yaml}, renamed, without server-set fields. */
  private static Deployment copyOf(Deployment tuned, String name) {
    ObjectMeta meta =
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(tuned.getMetadata().getNamespace())
            .withAnnotations(new HashMap<>(tuned.getMetadata().getAnnotations()))
            .build();
    return new DeploymentBuilder(tuned).withMetadata(meta).withStatus(null).build();
  }

  private static Deployment create(String ns, Deployment deployment) {
    return client.apps().deployments().inNamespace(ns).resource(deployment).create();
  }

  private static String envOf(String ns, String name) {
    return TestDeployments.env(
        client.apps().deployments().inNamespace(ns).withName(name).get(), JTO);
  }

  private static List<WorkloadResult> results(String ns) {
    return TestPolicies.results(client, ns, "default");
  }

  private static WorkloadResult result(String ns, String name) {
    return results(ns).stream()
        .filter(r -> r.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result for " + name + " in " + ns));
  }

  private static io.fabric8.kubernetes.api.model.Container app(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
