package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.RealRuntimes;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Go beside Java, on the real API server with the operator and its webhook in-process: the values
 * the webhook and the reconciler set, what status and Events say, what kubectl prints, and what a
 * real Go program and a real JVM see when started with the env the operator wrote.
 */
@WithRealApiServer
class GoRuntimeIT extends WithOperator {

  @KubeConfigYaml static String kubeConfigYaml;

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of());
  }

  @Test
  void goDeploymentsUnderTheDefaultPolicyGetGomaxprocsAndGomemlimitAndTheRuntimeSeesThem() {
    String ns = namespace("go-default");
    create(ns, goDeployment("limited", "limits: {cpu: 500m, memory: 512Mi}", ""));
    create(ns, goDeployment("requested", "requests: {cpu: \"3\"}", ""));
    create(
        ns,
        goDeployment("own", "limits: {cpu: \"2\"}", "env: [{name: GOMAXPROCS, value: \"64\"}]"));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(status(ns, "default").getTuned()).isEqualTo(3);
              assertThat(env(ns, "limited", "GOMAXPROCS")).isEqualTo("1");
              assertThat(env(ns, "limited", "GOMEMLIMIT")).isEqualTo("460MiB");
              assertThat(env(ns, "requested", "GOMAXPROCS")).isEqualTo("3");
              assertThat(env(ns, "requested", "GOMEMLIMIT")).isNull();
              assertThat(env(ns, "own", "GOMAXPROCS")).isEqualTo("2");
            });
    ContainerResult limited = container(ns, "default", "limited", "proxy");
    assertThat(limited.getRuntime()).isEqualTo("Go");
    assertThat(limited.getGomaxprocs()).isEqualTo(1);
    assertThat(limited.getGomemlimit()).isEqualTo("460MiB");
    assertThat(limited.getCpu()).isEqualTo("500m");
    assertThat(limited.getActiveProcessorCount()).isNull();
    assertThat(result(ns, "default", "requested").getFindings())
        .containsExactly("container proxy: no memory limit, so GOMEMLIMIT is not set");
    assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "default")).isEqualTo(3);

    Cli.against(kubeConfigYaml)
        .kubectl("annotate", "deployment", "own", "-n", ns, Annotations.GO_TUNING + "-")
        .assertSuccess();
    eventually().untilAsserted(() -> assertThat(env(ns, "own", "GOMAXPROCS")).isEqualTo("64"));
    assertThat(get(ns, "own").getMetadata().getAnnotations())
        .doesNotContainKeys(Annotations.MANAGED_ENV, Annotations.TUNED_BY);
  }

  @Test
  void floorRoundingAndLeaveLimitToRuntimeAsThePolicySays() {
    String ns = namespace("go-rules");
    policy(ns, "floor", "{go: {rounding: Floor}}");
    policy(ns, "leave", "{go: {leaveLimitToRuntime: true}}");
    create(ns, goDeployment("fractional", "limits: {cpu: 1500m}", "", "floor"));
    create(
        ns,
        goDeployment(
            "limited",
            "limits: {cpu: \"2\", memory: 1Gi}",
            "env: [{name: GOMAXPROCS, value: \"64\"}]",
            "leave"));
    create(ns, goDeployment("requested", "requests: {cpu: \"3\"}", "", "leave"));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(env(ns, "fractional", "GOMAXPROCS")).isEqualTo("1");
              assertThat(env(ns, "limited", "GOMEMLIMIT")).isEqualTo("921MiB");
              assertThat(env(ns, "requested", "GOMAXPROCS")).isEqualTo("3");
              assertThat(status(ns, "leave").getTuned()).isEqualTo(2);
            });
    assertThat(env(ns, "limited", "GOMAXPROCS")).as("left to the Go runtime").isEqualTo("64");
    assertThat(container(ns, "leave", "limited", "proxy").getGomaxprocs()).isNull();
    assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "floor")).isEqualTo(1);
    assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "leave")).isEqualTo(2);
  }

  @Test
  void aJavaAppAndAGoSidecarInOnePodEachGetTheirOwnRuntimesValues() {
    String ns = namespace("mixed");
    policy(ns, "default", "{java: {maxRAMPercentage: 75}}");
    client
        .resource(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: shop
              namespace: %s
              annotations:
                runtimepolicy.io/java-tuning: enabled
                runtimepolicy.io/go-tuning: enabled
                runtimepolicy.io/java-containers: app
                runtimepolicy.io/go-containers: proxy
            spec:
              selector: {matchLabels: {app: shop}}
              template:
                metadata: {labels: {app: shop}}
                spec:
                  containers:
                  - name: app
                    image: registry.example/shop:1
                    resources: {limits: {cpu: "2", memory: 1Gi}}
                    env: [{name: JAVA_TOOL_OPTIONS, value: "-Xss512k"}]
                  - name: proxy
                    image: registry.example/proxy:1
                    resources: {limits: {cpu: 500m, memory: 512Mi}}
            """
                .formatted(ns))
        .create();

    eventually().untilAsserted(() -> assertThat(status(ns, "default").getTuned()).isEqualTo(1));
    Deployment shop = get(ns, "shop");
    assertThat(EnvValues.of(shop, "app", "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2 -XX:MaxRAMPercentage=75.0");
    assertThat(EnvValues.of(shop, "app", "GOMAXPROCS")).isNull();
    assertThat(EnvValues.of(shop, "app", "GOMEMLIMIT")).isNull();
    assertThat(EnvValues.of(shop, "proxy", "GOMAXPROCS")).isEqualTo("1");
    assertThat(EnvValues.of(shop, "proxy", "GOMEMLIMIT")).isEqualTo("460MiB");
    assertThat(EnvValues.of(shop, "proxy", "JAVA_TOOL_OPTIONS")).isNull();
    assertThat(result(ns, "default", "shop").getContainers())
        .extracting(ContainerResult::getName, ContainerResult::getRuntime)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("app", "Java"),
            org.assertj.core.api.Assertions.tuple("proxy", "Go"));
    assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "default")).isEqualTo(2);
    eventually()
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("Tuned");
                          assertThat(e.getMessage())
                              .contains(
                                  "container app: -XX:ActiveProcessorCount=2"
                                      + " -XX:MaxRAMPercentage=75.0 in JAVA_TOOL_OPTIONS",
                                  "container proxy: GOMAXPROCS=1",
                                  "container proxy: GOMEMLIMIT=460MiB");
                        }));
  }

  @Test
  void bothRuntimesWithoutSayingWhichIsWhichIsAFindingAndNothingIsSet() {
    String ns = namespace("ambiguous");
    Cli.Result applied =
        Cli.against(kubeConfigYaml)
            .kubectlWithInput(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: both
                  namespace: %s
                  annotations:
                    runtimepolicy.io/java-tuning: enabled
                    runtimepolicy.io/go-tuning: enabled
                spec:
                  selector: {matchLabels: {app: both}}
                  template:
                    metadata: {labels: {app: both}}
                    spec:
                      containers:
                      - {name: app, image: registry.example/app:1, resources: {limits: {cpu: "2"}}}
                """
                    .formatted(ns),
                "apply",
                "-f",
                "-")
            .assertSuccess();

    assertThat(applied.stderr())
        .contains(
            "Warning: runtimepolicy: java-tuning and go-tuning both enabled: name them in"
                + " java-containers or go-containers; none is tuned");
    eventually()
        .untilAsserted(
            () ->
                assertThat(result(ns, "default", "both").getState())
                    .isEqualTo(WorkloadState.Skipped));
    assertThat(get(ns, "both").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .isEmpty();
  }

  @Test
  void kubectlApplyOfAGoWorkloadWarnsAsForJavaAndAuditWritesNothingUntilEnforce() {
    String ns = namespace("go-audit");
    policy(ns, "audit", "{mode: Audit}");
    String manifest =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: slow
          namespace: %s
          annotations: {runtimepolicy.io/go-tuning: enabled, runtimepolicy.io/policy: audit}
        spec:
          selector: {matchLabels: {app: slow}}
          template:
            metadata: {labels: {app: slow}}
            spec:
              containers:
              - name: proxy
                image: registry.example/proxy:1
                resources: {limits: {cpu: 500m}}
                env: [{name: GOMAXPROCS, value: "64"}]
                livenessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  timeoutSeconds: 10
        """
            .formatted(ns);
    Cli kubectl = Cli.against(kubeConfigYaml);

    Cli.Result applied = kubectl.kubectlWithInput(manifest, "apply", "-f", "-").assertSuccess();

    assertThat(applied.stderr())
        .contains(
            "Warning: runtimepolicy: container proxy: liveness probe timeoutSeconds 10 is not below"
                + " the app read timeout 5s",
            "Warning: runtimepolicy: container proxy: no memory limit, so GOMEMLIMIT is not set",
            "Warning: runtimepolicy: container proxy: GOMAXPROCS is \"64\", the policy computes 1");
    eventually()
        .untilAsserted(
            () ->
                assertThat(result(ns, "audit", "slow").getState())
                    .isEqualTo(WorkloadState.Violation));
    Deployment audited = get(ns, "slow");
    assertThat(env(ns, "slow", "GOMAXPROCS")).isEqualTo("64");
    assertThat(audited.getMetadata().getAnnotations()).doesNotContainKey(Annotations.MANAGED_ENV);
    assertThat(audited.getMetadata().getGeneration()).isEqualTo(1);
    eventually()
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("WouldTune");
                          assertThat(e.getMessage()).contains("container proxy: GOMAXPROCS=1");
                        }));

    client
        .resources(RuntimePolicy.class)
        .inNamespace(ns)
        .withName("audit")
        .edit(
            p -> {
              p.getSpec().setMode(io.runtimepolicy.api.v1alpha1.Mode.Enforce);
              return p;
            });

    eventually().untilAsserted(() -> assertThat(env(ns, "slow", "GOMAXPROCS")).isEqualTo("1"));
    assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "audit")).isEqualTo(1);
    long generation = get(ns, "slow").getMetadata().getGeneration();
    Cli.Result again = kubectl.kubectlWithInput(manifest, "apply", "-f", "-").assertSuccess();
    assertThat(again.stderr())
        .as("a value the webhook sets itself is not warned about")
        .doesNotContain("GOMAXPROCS is");
    assertThat(get(ns, "slow").getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(env(ns, "slow", "GOMAXPROCS")).isEqualTo("1");
  }

  private static String goDeployment(String name, String resources, String env) {
    return goDeployment(name, resources, env, null);
  }

  private static String goDeployment(String name, String resources, String env, String policy) {
    String annotations =
        "{runtimepolicy.io/go-tuning: enabled"
            + (policy == null ? "" : ", runtimepolicy.io/policy: " + policy)
            + "}";
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          annotations: %s
        spec:
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - name: proxy
                image: registry.example/proxy:1
                resources: {%s}
                %s
        """
        .formatted(name, annotations, name, name, resources, env);
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200));
  }

  private static void create(String ns, String yaml) {
    Deployment deployment = Serialization.unmarshal(yaml, Deployment.class);
    client.apps().deployments().inNamespace(ns).resource(deployment).create();
  }

  private static void policy(String ns, String name, String spec) {
    TestPolicies.create(client, ns, name, spec);
  }

  private static Deployment get(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private static String env(String ns, String deployment, String variable) {
    return EnvValues.of(get(ns, deployment), "proxy", variable);
  }

  private static RuntimePolicyStatus status(String ns, String policy) {
    RuntimePolicy p = client.resources(RuntimePolicy.class).inNamespace(ns).withName(policy).get();
    assertThat(p).as("RuntimePolicy %s/%s", ns, policy).isNotNull();
    assertThat(p.getStatus()).as("status of %s/%s", ns, policy).isNotNull();
    return p.getStatus();
  }

  private static WorkloadResult result(String ns, String policy, String deployment) {
    return status(ns, policy).getResults().stream()
        .filter(r -> r.getName().equals(deployment))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result for " + deployment));
  }

  private static ContainerResult container(
      String ns, String policy, String deployment, String container) {
    return result(ns, policy, deployment).getContainers().stream()
        .filter(c -> c.getName().equals(container))
        .findFirst()
        .orElseThrow();
  }
}
