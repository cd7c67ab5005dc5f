package io.runtimepolicy.operator.reconciler;

import static io.runtimepolicy.operator.TestDeployments.deployment;
import static io.runtimepolicy.operator.TestDeployments.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.RealRuntimes;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator in-process against the real API server: the rules of DESIGN.md, end to end. */
@WithRealApiServer
class RuntimePolicyReconcilerIT extends WithOperator {

  @KubeConfigYaml static String kubeConfigYaml;

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of());
  }

  @Test
  void tunesAnnotatedDeploymentUnderAnAutoCreatedDefaultPolicyAndThenStaysQuiet() {
    String ns = namespace("accept");
    create(
        ns,
        deployment("checkout")
            .governed()
            .cpuLimit("1500m")
            .javaToolOptions("-Xss512k -XX:ActiveProcessorCount=16"));

    eventually()
        .untilAsserted(
            () ->
                assertThat(env(get(ns, "checkout"), "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(status(ns, "default"))
                    .satisfies(
                        s -> {
                          assertThat(s.getTargets()).isEqualTo(1);
                          assertThat(s.getTuned()).isEqualTo(1);
                          assertThat(s.getViolations()).isZero();
                        }));
    Deployment tuned = get(ns, "checkout");

    // A second Deployment forces the policy to reconcile again; the first must cost no write.
    create(ns, deployment("cart").governed().cpuLimit("2"));
    eventually().untilAsserted(() -> assertThat(status(ns, "default").getTuned()).isEqualTo(2));
    Deployment after = get(ns, "checkout");
    assertThat(after.getMetadata().getGeneration()).isEqualTo(tuned.getMetadata().getGeneration());
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(tuned.getMetadata().getResourceVersion());
    // Tuned in its own create by the webhook: the operator never wrote it, so owns none of it.
    assertThat(after.getMetadata().getManagedFields())
        .noneMatch(f -> WorkloadWriter.FIELD_MANAGER.equals(f.getManager()));
    assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "default")).isEqualTo(2);
  }

  @Test
  void aRealJvmStartedWithTheTunedOptionsSeesWhatTheStatusSays() {
    String ns = namespace("jvm");
    policy(ns, "default", "{java: {maxRAMPercentage: 62.5}}");
    create(ns, deployment("ceil").governed().cpuLimit("1500m").memoryLimit("1Gi"));
    create(ns, deployment("small").governed().cpuLimit("500m").memoryLimit("512Mi"));
    create(ns, deployment("requested").governed().cpuRequest("3"));
    create(
        ns,
        deployment("own")
            .governed()
            .cpuLimit("2")
            .memoryLimit("2Gi")
            .javaToolOptions("-Xss512k -XX:ActiveProcessorCount=16 -XX:MaxRAMPercentage=10"));

    eventually().untilAsserted(() -> assertThat(status(ns, "default").getTuned()).isEqualTo(4));
    assertThat(env(get(ns, "own"), "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2 -XX:MaxRAMPercentage=62.5");
    assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "default")).isEqualTo(4);
  }

  @Test
  void floorRoundingAndCpuSourceDecideTheProcessorCount() {
    String ns = namespace("floor");
    policy(ns, "floor", "{java: {rounding: Floor, minProcessors: 1}}");
    policy(ns, "limit-only", "{java: {cpuSource: Limit}}");
    create(
        ns,
        deployment("fractional")
            .governed()
            .annotation("runtimepolicy.io/policy", "floor")
            .cpuLimit("1500m"));
    create(
        ns,
        deployment("requested")
            .governed()
            .annotation("runtimepolicy.io/policy", "floor")
            .cpuRequest("3"));
    create(
        ns,
        deployment("unlimited")
            .governed()
            .annotation("runtimepolicy.io/policy", "limit-only")
            .cpuRequest("3"));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(env(get(ns, "fractional"), "JAVA_TOOL_OPTIONS"))
                  .isEqualTo("-XX:ActiveProcessorCount=1");
              assertThat(env(get(ns, "requested"), "JAVA_TOOL_OPTIONS"))
                  .isEqualTo("-XX:ActiveProcessorCount=3");
              assertThat(result(ns, "limit-only", "unlimited").getState())
                  .isEqualTo(WorkloadState.Skipped);
            });
    assertThat(env(get(ns, "unlimited"), "JAVA_TOOL_OPTIONS")).isNull();
    eventually()
        .untilAsserted(
            () ->
                assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "floor"))
                    .isEqualTo(2));
  }

  @Test
  void livenessTimeoutAboveTheReadTimeoutIsAViolationWithAnEventAndTheProbeIsUntouched() {
    String ns = namespace("probe");
    create(
        ns,
        deployment("slow")
            .governed()
            .cpuLimit("1")
            .liveness(10)
            .annotation("runtimepolicy.io/app-read-timeout", "5s"));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(status(ns, "default").getViolations()).isEqualTo(1);
              assertThat(result(ns, "default", "slow").getFindings())
                  .contains(
                      "container app: liveness probe timeoutSeconds 10 is not below the app read timeout 5s");
            });
    eventually()
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getInvolvedObject().getName()).isEqualTo("slow");
                          assertThat(e.getReason()).isEqualTo("LivenessTimeoutTooLong");
                          assertThat(e.getType()).isEqualTo("Warning");
                        }));
    assertThat(
            get(ns, "slow")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getLivenessProbe()
                .getTimeoutSeconds())
        .isEqualTo(10);
  }

  @Test
  void auditModeNeverWritesADeployment() {
    String ns = namespace("audit");
    policy(ns, "default", "{mode: Audit}");
    Deployment created =
        create(
            ns,
            deployment("legacy")
                .governed()
                .cpuLimit("2")
                .javaToolOptions("-XX:ActiveProcessorCount=64"));

    eventually()
        .untilAsserted(
            () ->
                assertThat(result(ns, "default", "legacy").getState())
                    .isEqualTo(WorkloadState.Pending));
    Deployment after = get(ns, "legacy");
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(env(after, "JAVA_TOOL_OPTIONS")).isEqualTo("-XX:ActiveProcessorCount=64");
  }

  @Test
  void injectWithoutThePodWebhookIsNotReadyAndWritesNoWorkload() {
    String ns = namespace("inject-off");
    policy(ns, "default", "{mode: Inject}");
    Deployment created = create(ns, deployment("orders").governed().cpuLimit("2"));

    // One status may say InjectNotEnabled before the Deployment is seen: wait for both.
    eventually()
        .untilAsserted(
            () -> {
              assertThat(status(ns, "default").getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("InjectNotEnabled");
                      });
              // Opted in on its own metadata: told where the opt-in goes, never written.
              assertThat(result(ns, "default", "orders").getFindings())
                  .contains(
                      "Inject mode: move the runtimepolicy.io/ annotations to"
                          + " spec.template.metadata.annotations");
            });
    assertThat(get(ns, "orders").getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
  }

  @Test
  void flagsFollowACpuLimitChange() {
    String ns = namespace("change");
    create(ns, deployment("api").governed().cpuLimit("2"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(env(get(ns, "api"), "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-XX:ActiveProcessorCount=2"));

    setCpuLimit(ns, "api", "4");

    eventually()
        .untilAsserted(
            () ->
                assertThat(env(get(ns, "api"), "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-XX:ActiveProcessorCount=4"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "default"))
                    .isEqualTo(1));
  }

  @Test
  void removingTheAnnotationRemovesOnlyTheManagedFlags() {
    String ns = namespace("release");
    create(
        ns,
        deployment("svc")
            .governed()
            .cpuLimit("3")
            .javaToolOptions("-Dgreeting=\"hello world\" -Xss512k"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(env(get(ns, "svc"), "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-Dgreeting=\"hello world\" -Xss512k -XX:ActiveProcessorCount=3"));

    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("svc")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().remove("runtimepolicy.io/java-tuning");
              return d;
            });

    eventually()
        .untilAsserted(
            () -> {
              Deployment released = get(ns, "svc");
              assertThat(env(released, "JAVA_TOOL_OPTIONS"))
                  .isEqualTo("-Dgreeting=\"hello world\" -Xss512k");
              assertThat(released.getMetadata().getAnnotations())
                  .doesNotContainKey("runtimepolicy.io/tuned-by");
              assertThat(status(ns, "default").getTargets()).isZero();
            });
  }

  /**
   * The contract's custom runtime, end to end: tuned and reported under its own name, and when the
   * policy stops declaring it, the user's own value comes back and the opt-in becomes a finding.
   */
  @Test
  void aCustomRuntimeIsTunedAndGivesBackWhenThePolicyNoLongerDeclaresIt() {
    String ns = namespace("custom");
    policy(
        ns,
        "tokio",
        "{custom: [{name: tokio, processors: {rounding: Floor}, env: ["
            + "{name: TOKIO_WORKER_THREADS, value: Processors},"
            + " {name: APP_MAX_HEAP_MIB, value: MemoryLimitMiB, percent: 75}]}]}");
    Deployment api =
        deployment("api")
            .annotation("runtimepolicy.io/tokio-tuning", "enabled")
            .annotation("runtimepolicy.io/policy", "tokio")
            .cpuLimit("2500m")
            .memoryLimit("1Gi")
            .build()
            .edit()
            .editSpec()
            .editTemplate()
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("TOKIO_WORKER_THREADS")
            .withValue("16")
            .endEnv()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.apps().deployments().inNamespace(ns).resource(api).create();

    eventually()
        .untilAsserted(
            () -> {
              assertThat(env(get(ns, "api"), "TOKIO_WORKER_THREADS")).isEqualTo("2");
              assertThat(env(get(ns, "api"), "APP_MAX_HEAP_MIB")).isEqualTo("768");
              WorkloadResult result = result(ns, "tokio", "api");
              assertThat(result.getState()).isEqualTo(WorkloadState.Tuned);
              assertThat(result.getContainers().get(0).getRuntime()).isEqualTo("tokio");
              assertThat(result.getContainers().get(0).getEnv())
                  .containsExactlyInAnyOrderEntriesOf(
                      Map.of("TOKIO_WORKER_THREADS", "2", "APP_MAX_HEAP_MIB", "768"));
              assertThat(status(ns, "tokio").getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Accepted");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });

    client
        .resources(RuntimePolicy.class)
        .inNamespace(ns)
        .withName("tokio")
        .edit(
            p -> {
              p.getSpec().setCustom(null);
              return p;
            });

    eventually()
        .untilAsserted(
            () -> {
              Deployment released = get(ns, "api");
              assertThat(env(released, "TOKIO_WORKER_THREADS")).isEqualTo("16");
              assertThat(env(released, "APP_MAX_HEAP_MIB")).isNull();
              assertThat(released.getMetadata().getAnnotations())
                  .doesNotContainKey("runtimepolicy.io/managed-env");
              WorkloadResult result = result(ns, "tokio", "api");
              assertThat(result.getState()).isEqualTo(WorkloadState.Skipped);
              assertThat(result.getFindings())
                  .containsExactly(
                      "tokio-tuning is enabled, but the policy has no runtime tokio: declare it in"
                          + " spec.custom");
            });
  }

  @Test
  void aBadAnnotationIsAFindingWhileEverythingElseKeepsWorking() {
    String ns = namespace("bad");
    create(
        ns,
        deployment("odd")
            .governed()
            .cpuLimit("2")
            .annotation("runtimepolicy.io/app-read-timeout", "soon"));
    create(ns, deployment("fine").governed().cpuLimit("1"));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(result(ns, "default", "odd").getFindings())
                  .anySatisfy(f -> assertThat(f).contains("soon"));
              assertThat(env(get(ns, "odd"), "JAVA_TOOL_OPTIONS"))
                  .isEqualTo("-XX:ActiveProcessorCount=2");
              assertThat(env(get(ns, "fine"), "JAVA_TOOL_OPTIONS"))
                  .isEqualTo("-XX:ActiveProcessorCount=1");
            });
  }

  @Test
  void deletingADeploymentRemovesItsResult() {
    String ns = namespace("delete");
    create(ns, deployment("gone").governed().cpuLimit("1"));
    create(ns, deployment("stays").governed().cpuLimit("1"));
    eventually().untilAsserted(() -> assertThat(status(ns, "default").getTargets()).isEqualTo(2));

    client.apps().deployments().inNamespace(ns).withName("gone").delete();

    eventually()
        .untilAsserted(
            () -> {
              assertThat(status(ns, "default").getTargets()).isEqualTo(1);
              assertThat(status(ns, "default").getResults())
                  .extracting(WorkloadResult::getName)
                  .containsExactly("stays");
            });
  }

  @Test
  void kubectlPrintsTheSixColumnsWithTheRightFigures() {
    String ns = namespace("table");
    create(ns, deployment("compliant").governed().cpuLimit("2").liveness(1));
    create(ns, deployment("violating").governed().cpuLimit("1").liveness(10));
    create(ns, deployment("limitless").governed());
    eventually().untilAsserted(() -> assertThat(status(ns, "default").getTargets()).isEqualTo(3));

    eventually()
        .untilAsserted(
            () -> {
              String table =
                  Cli.against(kubeConfigYaml)
                      .kubectl("get", "runtimepolicies", "-A")
                      .assertSuccess()
                      .stdout();
              assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
                  .containsExactly(
                      "NAMESPACE",
                      "NAME",
                      "MODE",
                      "TARGETS",
                      "TUNED",
                      "VIOLATIONS",
                      "READY",
                      "AGE");
              assertThat(
                      table
                          .lines()
                          .filter(l -> l.startsWith(ns + " "))
                          .findFirst()
                          .orElseThrow()
                          .split("\\s+"))
                  .startsWith(ns, "default", "Enforce", "3", "2", "1", "True");
            });
  }

  @Test
  void movingADeploymentToAnotherPolicyUpdatesBothAndNamingAMissingOneReleasesIt() {
    String ns = namespace("move");
    policy(ns, "ceil", "{java: {rounding: Ceil}}");
    policy(ns, "floor", "{java: {rounding: Floor}}");
    create(
        ns,
        deployment("mover")
            .governed()
            .annotation("runtimepolicy.io/policy", "ceil")
            .cpuLimit("2500m"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(env(get(ns, "mover"), "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-XX:ActiveProcessorCount=3"));

    annotate(ns, "mover", "floor");

    eventually()
        .untilAsserted(
            () -> {
              assertThat(env(get(ns, "mover"), "JAVA_TOOL_OPTIONS"))
                  .isEqualTo("-XX:ActiveProcessorCount=2");
              assertThat(status(ns, "floor").getTargets()).isEqualTo(1);
              assertThat(status(ns, "ceil").getTargets()).isZero();
            });

    annotate(ns, "mover", "ghost");

    eventually()
        .untilAsserted(
            () -> {
              assertThat(env(get(ns, "mover"), "JAVA_TOOL_OPTIONS")).isNull();
              assertThat(status(ns, "floor").getTargets()).isZero();
            });
  }

  @Test
  void aDeploymentThatNeededNoPatchLeavesTheStatusWhenItsAnnotationGoes() {
    String ns = namespace("untouched");
    create(
        ns,
        deployment("right").governed().cpuLimit("2").javaToolOptions("-XX:ActiveProcessorCount=2"));
    eventually().untilAsserted(() -> assertThat(status(ns, "default").getTuned()).isEqualTo(1));
    assertThat(get(ns, "right").getMetadata().getAnnotations())
        .doesNotContainKey("runtimepolicy.io/tuned-by");

    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("right")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().put("runtimepolicy.io/java-tuning", "disabled");
              return d;
            });

    // Nothing carries this policy's name any more: only the old object says it was governed.
    eventually().untilAsserted(() -> assertThat(status(ns, "default").getTargets()).isZero());
    assertThat(env(get(ns, "right"), "JAVA_TOOL_OPTIONS")).isEqualTo("-XX:ActiveProcessorCount=2");
  }

  @Test
  void onlyTheFlagsTheOperatorAddedGoAwayNeverASidecarsOwn() {
    String ns = namespace("owned");
    client.resource(twoContainers(ns, "app,worker")).create();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(EnvValues.of(get(ns, "pair"), "app", "JAVA_TOOL_OPTIONS"))
                  .isEqualTo("-XX:ActiveProcessorCount=2");
              assertThat(EnvValues.of(get(ns, "pair"), "worker", "JAVA_TOOL_OPTIONS"))
                  .isEqualTo("-Xss1m -XX:ActiveProcessorCount=1");
            });
    assertThat(EnvValues.of(get(ns, "pair"), "proxy", "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-XX:ActiveProcessorCount=8");

    // The worker leaves governance: it gets its own options back, the app keeps its flags.
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("pair")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().put("runtimepolicy.io/containers", "app");
              return d;
            });
    eventually()
        .untilAsserted(
            () ->
                assertThat(EnvValues.of(get(ns, "pair"), "worker", "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-Xss1m"));
    assertThat(EnvValues.of(get(ns, "pair"), "app", "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-XX:ActiveProcessorCount=2");

    // The whole Deployment leaves: the app's flags go, the proxy's own flag was never ours.
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("pair")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().remove("runtimepolicy.io/java-tuning");
              return d;
            });
    eventually()
        .untilAsserted(
            () -> assertThat(EnvValues.of(get(ns, "pair"), "app", "JAVA_TOOL_OPTIONS")).isNull());
    assertThat(EnvValues.of(get(ns, "pair"), "proxy", "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-XX:ActiveProcessorCount=8");
    assertThat(EnvValues.of(get(ns, "pair"), "worker", "JAVA_TOOL_OPTIONS")).isEqualTo("-Xss1m");
  }

  private static String twoContainers(String ns, String governed) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: pair
          namespace: %s
          annotations: {runtimepolicy.io/java-tuning: "enabled", runtimepolicy.io/containers: "%s"}
        spec:
          selector: {matchLabels: {app: pair}}
          template:
            metadata: {labels: {app: pair}}
            spec:
              containers:
              - name: app
                image: registry.example/app:1
                resources: {limits: {cpu: "2"}}
              - name: worker
                image: registry.example/worker:1
                env: [{name: JAVA_TOOL_OPTIONS, value: "-Xss1m"}]
                resources: {limits: {cpu: "1"}}
              - name: proxy
                image: registry.example/proxy:1
                env: [{name: JAVA_TOOL_OPTIONS, value: "-XX:ActiveProcessorCount=8"}]
                resources: {limits: {cpu: 500m}}
        """
        .formatted(ns, governed);
  }

  private static void setCpuLimit(String ns, String deployment, String quantity) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(deployment)
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getResources()
                  .getLimits()
                  .put("cpu", new Quantity(quantity));
              return d;
            });
  }

  private static void annotate(String ns, String deployment, String policy) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(deployment)
        .edit(
            d -> {
              d.getMetadata().getAnnotations().put("runtimepolicy.io/policy", policy);
              return d;
            });
  }

  @Test
  void healthReadinessAndMetricsAreServed() throws Exception {
    String ns = namespace("metrics");
    // Admission cannot tune it (its policy does not exist yet): the reconciler's write does.
    create(
        ns,
        deployment("measured")
            .governed()
            .annotation("runtimepolicy.io/policy", "later")
            .cpuLimit("2"));
    assertThat(env(get(ns, "measured"), "JAVA_TOOL_OPTIONS")).isNull();
    policy(ns, "later", "{}");
    eventually()
        .untilAsserted(() -> assertThat(env(get(ns, "measured"), "JAVA_TOOL_OPTIONS")).isNotNull());

    assertThat(http("/healthz").statusCode()).isEqualTo(200);
    assertThat(http("/readyz").statusCode()).isEqualTo(200);
    String metrics = http("/metrics").body();
    assertThat(metrics)
        .contains("runtimepolicy_deployments_patched_total")
        .contains("operator_sdk_reconciliations_executions")
        .contains("operator_sdk_reconciliations_started_total")
        .contains("jvm_memory_used_bytes");
    assertThat(
            metrics
                .lines()
                .filter(l -> l.startsWith("runtimepolicy_deployments_patched_total"))
                .findFirst()
                .orElseThrow())
        .doesNotEndWith(" 0.0");
  }

  @Test
  void statusUpdatesOfAGovernedDeploymentCauseNoReconcileWhileASpecChangeDoes() throws Exception {
    String ns = namespace("status-churn");
    create(ns, deployment("rolling").governed().cpuLimit("2"));
    eventually().untilAsserted(() -> assertThat(status(ns, "default").getTuned()).isEqualTo(1));
    double settled =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                RuntimePolicyReconcilerIT::reconcilesStarted, new StableFor(Duration.ofSeconds(1)));

    // What the deployment controller writes several times per rollout.
    for (int ready = 0; ready < 3; ready++) {
      Deployment d = get(ns, "rolling");
      d.setStatus(new DeploymentStatusBuilder().withReplicas(3).withReadyReplicas(ready).build());
      client.resource(d).updateStatus();
    }
    await("no reconcile after status-only updates")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> reconcilesStarted() == settled);

    setCpuLimit(ns, "rolling", "3");
    eventually().until(() -> reconcilesStarted() > settled);
    eventually()
        .untilAsserted(
            () ->
                assertThat(env(get(ns, "rolling"), "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-XX:ActiveProcessorCount=3"));
  }

  /** JOSDK's count of reconciles started, every policy. */
  private static double reconcilesStarted() {
    return PromText.scrape(operator.healthPort()).sum("operator_sdk_reconciliations_started_total");
  }

  /** True once the value has not changed for {@code quiet}: a counter that has settled. */
  private static final class StableFor implements java.util.function.Predicate<Double> {
    private final Duration quiet;
    private Double last;
    private long since;

    StableFor(Duration quiet) {
      this.quiet = quiet;
    }

    @Override
    public boolean test(Double value) {
      if (!value.equals(last)) {
        last = value;
        since = System.nanoTime();
        return false;
      }
      return System.nanoTime() - since >= quiet.toNanos();
    }
  }

  private static java.net.http.HttpResponse<String> http(String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + operator.healthPort() + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200));
  }

  private static Deployment create(
      String ns, io.runtimepolicy.operator.TestDeployments deployment) {
    return client.apps().deployments().inNamespace(ns).resource(deployment.build()).create();
  }

  private static void policy(String ns, String name, String spec) {
    TestPolicies.create(client, ns, name, spec);
  }

  private static Deployment get(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private static RuntimePolicyStatus status(String ns, String policy) {
    return TestPolicies.status(client, ns, policy);
  }

  private static WorkloadResult result(String ns, String policy, String deployment) {
    return status(ns, policy).getResults().stream()
        .filter(r -> r.getName().equals(deployment))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result for " + deployment));
  }
}
