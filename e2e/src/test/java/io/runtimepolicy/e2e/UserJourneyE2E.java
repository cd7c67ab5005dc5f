package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.local.OperatorProcess;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.Cluster;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.SelfSignedCertificate;
import io.runtimepolicy.testing.ServiceAccountKubeconfig;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * DESIGN.md's "How users use it", as a user does it: helm install (webhook by loopback URL), the
 * operator as its own process from the built artifact authenticated as the chart's ServiceAccount,
 * then kubectl all the way, a SIGKILL mid-batch, and helm uninstall.
 */
@WithRealApiServer(cluster = Cluster.FULL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserJourneyE2E {

  static final String RELEASE = "runtime-policy";
  static final String NS = "runtime-policy";
  static final String SA = "runtime-policy-operator";

  static KubernetesClient client;
  @KubeConfigYaml static String kubeConfigYaml;
  static Cli kubectl;
  static Path work;
  static Map<String, String> operatorEnv;
  static OperatorProcess operator;

  @BeforeAll
  static void installChartAndStartOperator() throws Exception {
    work = Files.createTempDirectory("journey");
    kubectl = Cli.against(kubeConfigYaml);
    SelfSignedCertificate cert = SelfSignedCertificate.create(work.resolve("tls"));
    int webhookPort = OperatorProcess.freePort();
    Cli.against(kubeConfigYaml)
        .helm(
            "install",
            RELEASE,
            ProjectFiles.chart().toString(),
            "-n",
            NS,
            "--create-namespace",
            "--set",
            "inject.enabled=true",
            "--set",
            "webhook.url=https://127.0.0.1:" + webhookPort + "/mutate-workloads",
            "--set",
            "webhook.caBundle="
                + Base64.getEncoder()
                    .encodeToString(cert.caPem().getBytes(StandardCharsets.US_ASCII)))
        .assertSuccess();
    operatorEnv = chartEnvironment();
    operatorEnv.putAll(
        Map.of(
            "KUBECONFIG",
                Files.writeString(
                        work.resolve("sa-kubeconfig"),
                        ServiceAccountKubeconfig.create(client, NS, SA))
                    .toString(),
            "RUNTIMEPOLICY_OPERATOR_NAMESPACE", NS,
            "RUNTIMEPOLICY_LEASE_NAMESPACE", NS,
            "RUNTIMEPOLICY_WEBHOOK_PORT", Integer.toString(webhookPort),
            "RUNTIMEPOLICY_WEBHOOK_CERT_FILE", cert.certFile().toString(),
            "RUNTIMEPOLICY_WEBHOOK_KEY_FILE", cert.keyFile().toString()));
    operatorEnv.remove("RUNTIMEPOLICY_HEALTH_PORT");
    operator = startOperator("operator-1.log");
  }

  @AfterAll
  static void stopOperator() throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  @Order(1)
  void applyingTheExamplesWarnsTunesAndReportsEveryPolicy() {
    Cli.Result applied =
        kubectl
            .kubectl("apply", "-f", ProjectFiles.root().resolve("examples").toString())
            .assertSuccess();

    assertThat(applied.stderr())
        .contains(
            "Warning: runtimepolicy: container app: liveness probe timeoutSeconds 10 is not below the app read timeout 5s")
        // Under Enforce the webhook replaces the user's 16 in the same write: nothing to warn of.
        .doesNotContain("JAVA_TOOL_OPTIONS has -XX:ActiveProcessorCount=16");
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        rows(
                            kubectl
                                .kubectl("get", "runtimepolicies", "-A")
                                .assertSuccess()
                                .stdout()))
                    .contains(
                        List.of(
                            "NAMESPACE", "NAME", "MODE", "TARGETS", "TUNED", "VIOLATIONS", "READY"),
                        List.of("demo", "audit", "Audit", "1", "0", "0", "True"),
                        List.of("demo", "batch", "Enforce", "1", "1", "0", "True"),
                        List.of("demo", "default", "Enforce", "7", "7", "1", "True"),
                        List.of("demo", "dotnet", "Enforce", "1", "1", "0", "True"),
                        List.of("demo", "inject", "Inject", "1", "1", "0", "True"),
                        List.of("demo", "tokio", "Enforce", "1", "1", "0", "True"),
                        List.of(NS, "default", "Enforce", "1", "1", "0", "True")));
    assertThat(env("demo", "checkout", "app")).isEqualTo("-XX:ActiveProcessorCount=2");
    assertThat(env("demo", "catalog", "app")).isEqualTo("-XX:ActiveProcessorCount=2");
    assertThat(env("demo", "search", "app")).isEqualTo("-Xss512k -XX:ActiveProcessorCount=3");
    assertThat(env("demo", "greeter", "app"))
        .isEqualTo("-Dgreeting=\"hello world\" -Duser.timezone=UTC -XX:ActiveProcessorCount=1");
    assertThat(env("demo", "greeter", "proxy")).isNull();
    assertThat(env("demo", "reports", "app"))
        .isEqualTo("-XX:ActiveProcessorCount=3 -XX:MaxRAMPercentage=75.0");
    assertThat(env("demo", "legacy", "app")).isNull();
    Deployment recommender =
        client.apps().deployments().inNamespace("demo").withName("recommender").get();
    for (String variable :
        List.of("PYTHON_CPU_COUNT", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
      assertThat(EnvValues.of(recommender, "app", variable)).as(variable).isEqualTo("2");
    }
    Deployment frontend =
        client.apps().deployments().inNamespace("demo").withName("frontend").get();
    assertThat(EnvValues.of(frontend, "web", "NODE_OPTIONS"))
        .isEqualTo("--enable-source-maps --max-old-space-size=768");
    Deployment billing = client.apps().deployments().inNamespace("demo").withName("billing").get();
    assertThat(EnvValues.of(billing, "app", "DOTNET_PROCESSOR_COUNT")).isEqualTo("1");
    assertThat(EnvValues.of(billing, "app", "DOTNET_GCHeapHardLimitPercent")).isEqualTo("46");
    Deployment gateway = client.apps().deployments().inNamespace("demo").withName("gateway").get();
    assertThat(EnvValues.of(gateway, "app", "TOKIO_WORKER_THREADS")).isEqualTo("2");
    assertThat(EnvValues.of(gateway, "app", "APP_MAX_HEAP_MIB")).isEqualTo("768");
    // Inject: the pods carry the flags, the Deployment as applied does not.
    assertThat(env("demo", "orders", "app")).isNull();
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .pods()
                            .inNamespace("demo")
                            .withLabel("app", "orders")
                            .list()
                            .getItems())
                    .hasSize(2)
                    .allSatisfy(
                        pod ->
                            assertThat(pod.getSpec().getContainers().get(0).getEnv())
                                .anySatisfy(
                                    e ->
                                        assertThat(e.getValue())
                                            .isEqualTo("-XX:ActiveProcessorCount=2"))));
  }

  @Test
  @Order(2)
  void theOperatorPassesItsOwnRulesWithoutPatchingItself() {
    Deployment self = client.apps().deployments().inNamespace(NS).withName(SA).get();

    assertThat(self.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(result(NS, "default", SA).getState()).isEqualTo(WorkloadState.Tuned);
  }

  @Test
  @Order(3)
  void describeShowsWhatTheOperatorDidAndFound() {
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        kubectl
                            .kubectl("describe", "deployment", "payments", "-n", "demo")
                            .assertSuccess()
                            .stdout())
                    .contains(
                        "LivenessTimeoutTooLong",
                        "liveness probe timeoutSeconds 10 is not below the app read timeout 5s")
                    .contains("Tuned", "-XX:ActiveProcessorCount=1 in JAVA_TOOL_OPTIONS"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        kubectl
                            .kubectl("describe", "deployment", "legacy", "-n", "demo")
                            .assertSuccess()
                            .stdout())
                    .contains("WouldTune"));
  }

  @Test
  @Order(4)
  void annotatingAnExistingDeploymentTunesIt() {
    kubectl
        .kubectl(
            "create", "deployment", "inventory", "--image=eclipse-temurin:17-jre", "-n", "demo")
        .assertSuccess();
    kubectl
        .kubectl(
            "set",
            "resources",
            "deployment",
            "inventory",
            "-n",
            "demo",
            "--limits=cpu=2,memory=1Gi")
        .assertSuccess();
    assertThat(env("demo", "inventory", "eclipse-temurin")).isNull();

    kubectl
        .kubectl(
            "annotate",
            "deployment",
            "inventory",
            "-n",
            "demo",
            "runtimepolicy.io/java-tuning=enabled")
        .assertSuccess();

    eventually()
        .untilAsserted(
            () ->
                assertThat(env("demo", "inventory", "eclipse-temurin"))
                    .isEqualTo("-XX:ActiveProcessorCount=2"));
  }

  @Test
  @Order(5)
  void applyingAViolatingDeploymentPrintsAWarningAndStillCreatesIt() {
    namespace("shop");
    Cli.Result applied =
        kubectl.kubectlWithInput(violating("cart"), "apply", "-f", "-").assertSuccess();

    assertThat(applied.stderr())
        .contains(
            "Warning: runtimepolicy: container app: liveness probe timeoutSeconds 30 is not below the app read timeout 2s");
    assertThat(applied.stdout()).contains("deployment.apps/cart created");
  }

  @Test
  @Order(6)
  void auditModeStopsWritesAndEnforceMakesTheFlagsFollowTheLimit() {
    kubectl
        .kubectl(
            "patch",
            "runtimepolicy",
            "default",
            "-n",
            "demo",
            "--type=merge",
            "-p",
            "{\"spec\":{\"mode\":\"Audit\"}}")
        .assertSuccess();
    eventually().until(() -> status("demo", "default").getObservedGeneration() == 2L);
    kubectl
        .kubectl(
            "set",
            "resources",
            "deployment",
            "checkout",
            "-n",
            "demo",
            "-c",
            "app",
            "--limits=cpu=4")
        .assertSuccess();
    // The generation, not the resourceVersion: the deployment controller writes status through
    // the rollout the user's edit started.
    Long afterUserEdit =
        client
            .apps()
            .deployments()
            .inNamespace("demo")
            .withName("checkout")
            .get()
            .getMetadata()
            .getGeneration();

    eventually()
        .untilAsserted(
            () ->
                assertThat(result("demo", "default", "checkout").getState())
                    .isEqualTo(WorkloadState.Pending));
    Deployment audited = client.apps().deployments().inNamespace("demo").withName("checkout").get();
    assertThat(audited.getMetadata().getGeneration()).isEqualTo(afterUserEdit);
    assertThat(env("demo", "checkout", "app")).isEqualTo("-XX:ActiveProcessorCount=2");

    kubectl
        .kubectl(
            "patch",
            "runtimepolicy",
            "default",
            "-n",
            "demo",
            "--type=merge",
            "-p",
            "{\"spec\":{\"mode\":\"Enforce\"}}")
        .assertSuccess();
    eventually()
        .untilAsserted(
            () ->
                assertThat(env("demo", "checkout", "app")).isEqualTo("-XX:ActiveProcessorCount=4"));
  }

  @Test
  @Order(7)
  void removingTheAnnotationTakesOnlyTheManagedFlagsAway() {
    kubectl
        .kubectl("annotate", "deployment", "greeter", "-n", "demo", "runtimepolicy.io/java-tuning-")
        .assertSuccess();

    eventually()
        .untilAsserted(
            () ->
                assertThat(env("demo", "greeter", "app"))
                    .isEqualTo("-Dgreeting=\"hello world\" -Duser.timezone=UTC"));
  }

  @Test
  @Order(8)
  void aSigkillMidBatchLosesNothingAndPatchesNothingTwice() throws Exception {
    String ns = batchForTheReconciler("batch-50");
    operator.kill();
    long tunedAtKill = tunedCount(ns);
    // The kill must land mid-batch, or the cell would pass without testing a restart mid-batch.
    assertThat(tunedAtKill).as("tuned when the SIGKILL landed").isBetween(1L, 49L);

    operator = startOperator("operator-2.log");

    assertConvergedWithOneWriteEach(ns);
    System.out.printf("SIGKILL after %d of 50 Deployments were tuned%n", tunedAtKill);
  }

  @Test
  @Order(9)
  void aSigtermMidBatchStopsWithinTheGracePeriodAndRestartConverges() throws Exception {
    String ns = batchForTheReconciler("term-50");
    // The kubelet's default terminationGracePeriodSeconds; the chart sets none.
    Duration stopped = operator.terminate(Duration.ofSeconds(30));
    long tunedAtStop = tunedCount(ns);

    operator = startOperator("operator-3.log");

    assertConvergedWithOneWriteEach(ns);
    System.out.printf(
        "SIGTERM after %d of 50 Deployments were tuned; exited in %d ms%n",
        tunedAtStop, stopped.toMillis());
  }

  /**
   * 50 Deployments naming a policy that does not exist yet, so admission leaves them alone; then
   * the policy, so the batch is the reconciler's. Returns once the first is tuned.
   */
  private static String batchForTheReconciler(String name) {
    String ns = namespace(name);
    IntStream.range(0, 50)
        .parallel()
        .forEach(i -> client.resource(compliantButUntuned("svc-" + i, ns)).create());
    client
        .resource(
            """
            apiVersion: runtimepolicy.io/v1alpha1
            kind: RuntimePolicy
            metadata: {name: later, namespace: %s}
            spec: {}
            """
                .formatted(ns))
        .create();
    // Polled fast: the caller stops the operator right after, and must catch it mid-batch.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .ignoreExceptions()
        .until(() -> tunedCount(ns) >= 1);
    return ns;
  }

  /** Every one tuned and counted, each by one write: created at generation 1, now at 2. */
  private static void assertConvergedWithOneWriteEach(String ns) {
    eventually()
        .untilAsserted(
            () -> {
              assertThat(tunedCount(ns)).isEqualTo(50);
              assertThat(status(ns, "later").getTargets()).isEqualTo(50);
              assertThat(status(ns, "later").getTuned()).isEqualTo(50);
            });
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems())
        .allSatisfy(
            d ->
                assertThat(d.getMetadata().getGeneration())
                    .as(d.getMetadata().getName())
                    .isEqualTo(2L));
  }

  @Test
  @Order(10)
  void helmUninstallLeavesNothingButTheCrd() throws Exception {
    List<HasMetadata> released =
        Manifests.parse(
            Cli.against(kubeConfigYaml)
                .helm("get", "manifest", RELEASE, "-n", NS)
                .assertSuccess()
                .stdout());
    operator.close();
    operator = null;

    Cli.against(kubeConfigYaml).helm("uninstall", RELEASE, "-n", NS).assertSuccess();

    assertThat(released)
        .isNotEmpty()
        .allSatisfy(
            o ->
                assertThat(client.resource(o).get())
                    .as("%s %s", o.getKind(), o.getMetadata().getName())
                    .isNull());
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("runtimepolicies.runtimepolicy.io")
                .get())
        .isNotNull();
  }

  private static OperatorProcess startOperator(String log) {
    Map<String, String> env = new HashMap<>(operatorEnv);
    env.put("RUNTIMEPOLICY_HEALTH_PORT", Integer.toString(OperatorProcess.freePort()));
    return OperatorProcess.start(
        ProjectFiles.root(), env, work.resolve(log), Duration.ofSeconds(60));
  }

  /** The operator container's plain environment as the installed chart sets it. */
  private static Map<String, String> chartEnvironment() {
    Deployment deployment = client.apps().deployments().inNamespace(NS).withName(SA).get();
    Map<String, String> env = new HashMap<>();
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }

  private static long tunedCount(String ns) {
    return client.apps().deployments().inNamespace(ns).list().getItems().stream()
        .filter(d -> "-XX:ActiveProcessorCount=1".equals(env(d, "app")))
        .count();
  }

  private static String env(String ns, String deployment, String container) {
    return env(client.apps().deployments().inNamespace(ns).withName(deployment).get(), container);
  }

  private static String env(Deployment deployment, String container) {
    return EnvValues.of(deployment, container, "JAVA_TOOL_OPTIONS");
  }

  private static RuntimePolicyStatus status(String ns, String policy) {
    RuntimePolicy p = client.resources(RuntimePolicy.class).inNamespace(ns).withName(policy).get();
    assertThat(p).isNotNull();
    assertThat(p.getStatus()).isNotNull();
    return p.getStatus();
  }

  private static WorkloadResult result(String ns, String policy, String deployment) {
    return status(ns, policy).getResults().stream()
        .filter(r -> r.getName().equals(deployment))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result for " + deployment));
  }

  /** Each line's first seven columns: all but AGE, whose value changes with time. */
  private static List<List<String>> rows(String table) {
    return table
        .lines()
        .map(l -> List.of(l.trim().split("\\s+")))
        .map(r -> r.subList(0, Math.min(7, r.size())))
        .toList();
  }

  private static String namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  private static ConditionFactory eventually() {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions();
  }

  private static String violating(String name) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          namespace: shop
          annotations: {runtimepolicy.io/java-tuning: "enabled", runtimepolicy.io/app-read-timeout: "2s"}
        spec:
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - name: app
                image: eclipse-temurin:17-jre
                resources: {limits: {cpu: "1"}}
                livenessProbe: {httpGet: {path: /healthz, port: 8080}, timeoutSeconds: 30}
        """
        .formatted(name, name, name);
  }

  private static String compliantButUntuned(String name, String ns) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          namespace: %s
          annotations: {runtimepolicy.io/java-tuning: "enabled", runtimepolicy.io/policy: later}
        spec:
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - name: app
                image: eclipse-temurin:17-jre
                resources: {limits: {cpu: 500m}}
        """
        .formatted(name, ns, name, name);
  }
}
