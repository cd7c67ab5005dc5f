package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.operator.RealRuntimes;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.Cluster;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inject mode on a cluster whose controllers really create the pods, each through admission: every
 * pod of every owner carries the values, no workload is ever written by the operator, other pods
 * never reach the webhook, and status tells current pods from stale ones.
 */
@WithRealApiServer(cluster = Cluster.FULL)
class InjectModeIT extends WithOperator {

  private static final String TUNED = "-Xss512k -XX:ActiveProcessorCount=2";
  private static final String OPERATOR = "runtime-policy-operator";

  @KubeConfigYaml static String kubeConfigYaml;

  @BeforeAll
  static void start() throws Exception {
    startOperator(
        Map.of(
            "RUNTIMEPOLICY_INJECT_ENABLED", "true",
            "RUNTIMEPOLICY_RESYNC_PERIOD", "5s",
            "RUNTIMEPOLICY_UNTUNED_POD_SCAN_INTERVAL", "2s"));
  }

  @Test
  void everyPodOfEveryOwnerIsInjectedAndNoWorkloadIsEverWrittenByTheOperator() {
    String ns = namespace("inject-owners");
    TestPolicies.create(client, ns, "default", "{mode: Inject}");
    double writesBefore = operatorWrites();
    long appliesBefore = workloadApplies();

    Deployment web =
        TestDeployments.deployment("web").cpuLimit("1500m").javaToolOptions("-Xss512k").build();
    optInOnTemplate(web.getSpec().getTemplate());
    web.getSpec().setReplicas(3);
    List<HasMetadata> workloads =
        List.of(
            client.apps().deployments().inNamespace(ns).resource(web).create(),
            client.apps().statefulSets().inNamespace(ns).resource(statefulSet("db")).create(),
            client.batch().v1().jobs().inNamespace(ns).resource(job("once")).create(),
            client.apps().replicaSets().inNamespace(ns).resource(replicaSet("custom")).create());
    client.pods().inNamespace(ns).resource(goPod("solo")).create();

    // 3 + 1 + 1 + 2 + 1 pods, each admitted with the values.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
              assertThat(pods).hasSize(8);
              assertThat(pods)
                  .allSatisfy(
                      p -> {
                        if (p.getMetadata().getName().equals("solo")) {
                          assertThat(env(p, "GOMAXPROCS")).isEqualTo("2");
                          assertThat(env(p, "GOMEMLIMIT")).isEqualTo("460MiB");
                        } else {
                          assertThat(podEnv(p)).as(p.getMetadata().getName()).isEqualTo(TUNED);
                        }
                        assertThat(p.getMetadata().getLabels())
                            .containsEntry(Annotations.INJECTED_LABEL, "true");
                      });
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(result(ns, "default", "Deployment/web").getPods().getCurrent())
                  .isEqualTo(3);
              assertThat(result(ns, "default", "StatefulSet/db").getPods().getCurrent())
                  .isEqualTo(1);
              assertThat(result(ns, "default", "ReplicaSet/custom").getPods().getCurrent())
                  .isEqualTo(2);
              assertThat(result(ns, "default", "Pod/solo").getPods().getCurrent()).isEqualTo(1);
              assertThat(results(ns, "default").values())
                  .allSatisfy(r -> assertThat(r.getPods().getStale()).isZero());
            });

    for (HasMetadata created : workloads) {
      HasMetadata now = client.resource(created).get();
      assertThat(now.getMetadata().getGeneration()).as(name(now)).isEqualTo(1L);
      assertThat(now.getMetadata().getManagedFields())
          .as("field managers of %s", name(now))
          .noneMatch(f -> OPERATOR.equals(f.getManager()));
      assertThat(now.getMetadata().getAnnotations())
          .as(name(now))
          .doesNotContainKeys(Annotations.MANAGED_ENV, Annotations.TUNED_BY);
      assertThat(templateEnv(templateOf(now)))
          .as("the template of %s as the user wrote it", name(now))
          .isEqualTo("-Xss512k");
    }
    assertThat(operatorWrites() - writesBefore).as("operator workload writes").isZero();
    assertThat(workloadApplies() - appliesBefore)
        .as("server-side applies of workloads, from the API server's request counter")
        .isZero();
    assertThat(RealRuntimes.assertRuntimesSeeTheInjectedPods(client, ns, "default"))
        .as(
            "runtimes started on injected pods' env: 3 JVMs, 1 Go program, and the Job's JVM while it runs")
        .isBetween(4, 5);
  }

  @Test
  void podsNoPolicyGovernsNeverReachTheWebhookAndThePodWatchHoldsOnlyMarkedPods() {
    String ns = namespace("inject-plain");
    double reviewsBefore = podReviews();

    IntStream.range(0, 100)
        .forEach(
            i -> {
              Pod plain = barePod("plain-" + i);
              plain.getMetadata().setAnnotations(Map.of());
              client.pods().inNamespace(ns).resource(plain).create();
            });

    assertThat(podReviews() - reviewsBefore).as("Pod reviews for 100 ungoverned pods").isZero();
    // The selector the running informer sends to the API server with its list and watch.
    assertThat(podWatch().configuration().getInformerConfig().getLabelSelector())
        .isEqualTo(Annotations.INJECTED_LABEL);
    assertThat(injectedPodsHeld())
        .as("pods the watch holds")
        .isEqualTo(
            client
                .pods()
                .inAnyNamespace()
                .withLabel(Annotations.INJECTED_LABEL)
                .list()
                .getItems()
                .size());

    // The counter counts: one governed pod moves it by one.
    String governed = namespace("inject-one");
    TestPolicies.create(client, governed, "default", "{mode: Inject}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Pod one =
                  client
                      .pods()
                      .inNamespace(governed)
                      .resource(barePod("one-" + System.nanoTime()))
                      .create();
              assertThat(one.getMetadata().getLabels()).containsKey(Annotations.INJECTED_LABEL);
            });
    assertThat(podReviews() - reviewsBefore).isPositive();
  }

  @Test
  void aPolicyChangeMakesRunningPodsStaleUntilTheUserRestartsThem() {
    String ns = namespace("inject-stale");
    TestPolicies.create(client, ns, "default", "{mode: Inject}");
    Deployment api = TestDeployments.deployment("api").cpuLimit("1500m").build();
    optInOnTemplate(api.getSpec().getTemplate());
    api.getSpec().setReplicas(2);
    String uid =
        client.apps().deployments().inNamespace(ns).resource(api).create().getMetadata().getUid();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(result(ns, "default", "Deployment/api").getPods().getCurrent())
                    .isEqualTo(2));

    TestPolicies.editSpec(
        client, ns, "default", spec -> spec.getJava().setRounding(Rounding.Floor));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              WorkloadResult result = result(ns, "default", "Deployment/api");
              assertThat(result.getPods().getStale()).isEqualTo(2);
              assertThat(result.getPods().getCurrent()).isZero();
              assertThat(result.getFindings())
                  .contains(
                      "2 pods run values the policy no longer computes: kubectl rollout restart deployment/api");
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("PodsStale");
                          assertThat(e.getInvolvedObject().getKind()).isEqualTo("Deployment");
                          assertThat(e.getInvolvedObject().getUid()).isEqualTo(uid);
                        }));
    long generation =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("api")
            .get()
            .getMetadata()
            .getGeneration();
    assertThat(generation).as("the operator restarted nothing").isEqualTo(1L);

    Cli.against(kubeConfigYaml)
        .kubectl("rollout", "restart", "deployment/api", "-n", ns)
        .assertSuccess();
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              WorkloadResult result = result(ns, "default", "Deployment/api");
              assertThat(result.getPods().getCurrent()).isEqualTo(2);
              assertThat(result.getPods().getStale()).isZero();
              assertThat(result.getContainers().get(0).getActiveProcessorCount()).isEqualTo(1);
            });
    assertThat(
            client.pods().inNamespace(ns).withLabel(Annotations.INJECTED_LABEL).list().getItems())
        .filteredOn(p -> p.getMetadata().getDeletionTimestamp() == null)
        .allSatisfy(p -> assertThat(podEnv(p)).isEqualTo("-XX:ActiveProcessorCount=1"));
  }

  @Test
  void aBarePodAloneIsCountedAsAWorkloadNotAsADeployment() {
    String ns = namespace("inject-bare");
    TestPolicies.create(client, ns, "default", "{mode: Inject}");
    client.pods().inNamespace(ns).resource(barePod("lone")).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(result(ns, "default", "Pod/lone").getPods().getCurrent()).isEqualTo(1);
              Condition ready = condition(ns, "default", "Ready");
              assertThat(ready.getStatus()).isEqualTo("True");
              assertThat(ready.getMessage())
                  .isEqualTo("1 of 1 workloads tuned, 0 with violations")
                  .doesNotContain("Deployment");
              assertThat(condition(ns, "default", "Degraded").getMessage())
                  .isEqualTo("No governed workload breaks a rule");
            });
  }

  private static Condition condition(String ns, String policy, String type) {
    return TestPolicies.status(client, ns, policy).getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition on " + policy));
  }

  static void optInOnTemplate(PodTemplateSpec template) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(Annotations.JAVA_TUNING, "enabled");
    template.getMetadata().setAnnotations(annotations);
  }

  private static PodTemplateSpec template(String app) {
    PodTemplateSpec template =
        TestDeployments.deployment(app)
            .cpuLimit("1500m")
            .javaToolOptions("-Xss512k")
            .build()
            .getSpec()
            .getTemplate();
    optInOnTemplate(template);
    return template;
  }

  private static StatefulSet statefulSet(String name) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withServiceName(name)
        .withReplicas(1)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withTemplate(template(name))
        .endSpec()
        .build();
  }

  private static ReplicaSet replicaSet(String name) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withTemplate(template(name))
        .endSpec()
        .build();
  }

  private static Job job(String name) {
    PodTemplateSpec template = template(name);
    template.getMetadata().setLabels(Map.of());
    template.getSpec().setRestartPolicy("Never");
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withTemplate(template)
        .endSpec()
        .build();
  }

  static Pod barePod(String name) {
    PodTemplateSpec template = template(name);
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withAnnotations(template.getMetadata().getAnnotations())
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }

  /** A bare Go pod: GOMAXPROCS from its 1500m limit, GOMEMLIMIT from its 512Mi. */
  private static Pod goPod(String name) {
    Pod pod = barePod(name);
    pod.getMetadata().setAnnotations(new HashMap<>(Map.of(Annotations.GO_TUNING, "enabled")));
    var container = pod.getSpec().getContainers().get(0);
    container.setEnv(new ArrayList<>());
    container.getResources().getLimits().put("memory", new Quantity("512Mi"));
    return pod;
  }

  static String podEnv(Pod pod) {
    return env(pod, "JAVA_TOOL_OPTIONS");
  }

  private static String env(Pod pod, String name) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(e -> e.getValue())
        .findFirst()
        .orElse(null);
  }

  private static String templateEnv(PodTemplateSpec template) {
    return template.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .map(e -> e.getValue())
        .findFirst()
        .orElse(null);
  }

  private static PodTemplateSpec templateOf(HasMetadata workload) {
    if (workload instanceof ReplicaSet rs) {
      return rs.getSpec().getTemplate();
    }
    return io.runtimepolicy.operator.workload.WorkloadKinds.of(workload)
        .orElseThrow()
        .podTemplateOf(workload);
  }

  /** The status result of {@code kindAndName}, e.g. "Deployment/web"; fails while it is absent. */
  static WorkloadResult result(String ns, String policy, String kindAndName) {
    WorkloadResult result = results(ns, policy).get(kindAndName);
    assertThat(result).as("status result %s of %s/%s", kindAndName, ns, policy).isNotNull();
    assertThat(result.getPods()).as("pod counts of %s", kindAndName).isNotNull();
    return result;
  }

  static Map<String, WorkloadResult> results(String ns, String policy) {
    Map<String, WorkloadResult> byName = new HashMap<>();
    Optional.ofNullable(TestPolicies.status(client, ns, policy).getResults())
        .orElse(List.of())
        .forEach(r -> byName.put(r.getKind() + "/" + r.getName(), r));
    return byName;
  }

  private static String name(HasMetadata workload) {
    return workload.getKind() + " " + workload.getMetadata().getName();
  }

  private static double podReviews() {
    return PromText.scrape(operator.healthPort())
        .sum("runtimepolicy_admission_reviews_total", s -> "Pod".equals(s.label("kind")));
  }

  /** Server-side applies of workload kinds: the operator's only way to write one. */
  private static long workloadApplies() {
    String text = client.raw(client.getMasterUrl() + "metrics");
    return (long)
        PromText.parse(text)
            .sum(
                "apiserver_request_total",
                s ->
                    "APPLY".equals(s.label("verb"))
                        && List.of("deployments", "statefulsets", "jobs", "replicasets", "pods")
                            .contains(s.label("resource")));
  }

  private static InformerEventSource<?, ?> podWatch() {
    return operator.operator().getRuntimeInfo().getRegisteredControllers().stream()
        .flatMap(c -> c.getControllerHealthInfo().eventSourceHealthIndicators().entrySet().stream())
        .filter(e -> e.getKey().equals("injected-pods"))
        .map(e -> (InformerEventSource<?, ?>) e.getValue())
        .findFirst()
        .orElseThrow();
  }

  private static long injectedPodsHeld() {
    return (long) PromText.scrape(operator.healthPort()).sum("runtimepolicy_injected_pods_held");
  }
}
