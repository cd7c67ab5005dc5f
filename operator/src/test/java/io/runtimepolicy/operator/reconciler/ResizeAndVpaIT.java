package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.testing.Cluster;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.PodResize;
import io.runtimepolicy.testing.VpaAdmissionController;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When a pod's resources change after its template: a real {@code pods/resize} is answered with a
 * warning and reported stale until the pod is recreated, in Inject mode and in Enforce mode; beside
 * the real VPA admission controller, an injected pod is tuned from the resources VPA admitted it
 * with, and an Enforce pod VPA admitted so is reported stale.
 */
@WithRealApiServer(cluster = Cluster.FULL)
class ResizeAndVpaIT extends WithOperator {

  private static final Duration WITHIN = Duration.ofSeconds(60);

  @KubeConfigYaml static String kubeConfigYaml;
  private static VpaAdmissionController vpa;

  @BeforeAll
  static void start() throws Exception {
    startOperator(
        Map.of(
            "RUNTIMEPOLICY_INJECT_ENABLED", "true",
            "RUNTIMEPOLICY_STALE_POD_SCAN_INTERVAL", "2s",
            "RUNTIMEPOLICY_RESYNC_PERIOD", "5s"));
    vpa =
        VpaAdmissionController.start(
            client, kubeConfigYaml, Path.of("target", "full-cluster", "ResizeAndVpaIT", "vpa"));
  }

  @AfterAll
  static void stopVpa() {
    if (vpa != null) {
      vpa.close();
    }
  }

  @Test
  void aResizeWarnsOfTheValueItLeavesStaleAndTheRunningPodIsReportedUntilRecreated() {
    String ns = namespace("resize-inject");
    TestPolicies.create(client, ns, "default", "{mode: Inject}");
    Deployment api = TestDeployments.deployment("api").cpuLimit("2").memoryLimit("512Mi").build();
    optInGo(api);
    client.apps().deployments().inNamespace(ns).resource(api).create();
    Pod pod = await().atMost(WITHIN).until(() -> onlyPod(ns, "api"), PodResize::resizable);
    assertThat(env(pod, "GOMAXPROCS")).isEqualTo("2");
    String name = pod.getMetadata().getName();

    PodResize.Answer answer = PodResize.patch(client, ns, name, PodResize.cpu("app", "4", "4"));

    assertWarnsGoStaysAt2(answer);
    Pod resized = client.pods().inNamespace(ns).withName(name).get();
    assertThat(resized.getSpec().getContainers().get(0).getResources().getLimits())
        .containsEntry("cpu", new Quantity("4"));
    assertThat(env(resized, "GOMAXPROCS")).as("a resize is never patched").isEqualTo("2");
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () -> {
              WorkloadResult result = InjectModeIT.result(ns, "default", "Deployment/api");
              assertThat(result.getPods().getStale()).isEqualTo(1);
              assertThat(result.getPods().getStaleReasons())
                  .containsExactly(Map.entry("ResizedInPlace", 1));
              assertThat(result.getState()).hasToString("Pending");
            });
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .filteredOn(e -> "ResizedInPlace".equals(e.getReason()))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getInvolvedObject().getKind()).isEqualTo("Deployment");
                          assertThat(e.getInvolvedObject().getName()).isEqualTo("api");
                          assertThat(e.getMessage())
                              .contains(name)
                              .contains("kubectl rollout restart deployment/api")
                              .contains("go.leaveLimitToRuntime: true");
                        }));

    client.pods().inNamespace(ns).withName(name).delete();

    await()
        .atMost(WITHIN)
        .untilAsserted(
            () -> {
              WorkloadResult result = InjectModeIT.result(ns, "default", "Deployment/api");
              assertThat(result.getPods().getCurrent()).isEqualTo(1);
              assertThat(result.getPods().getStale()).isZero();
              assertThat(result.getPods().getStaleReasons()).isNull();
            });
  }

  @Test
  void aPodVpaAdmitsWithOtherResourcesIsTunedFromThoseNotFromItsTemplate() {
    String ns = namespace("vpa-inject");
    TestPolicies.create(client, ns, "default", "{mode: Inject}");
    // Ours is called first (configurations run in name order), VPA's second: only the second run
    // of ours (reinvocationPolicy: IfNeeded) sees VPA's resources.
    assertThat(operatorWebhookName()).isLessThan(VpaAdmissionController.WEBHOOK_CONFIGURATION);
    client.resource(VpaAdmissionController.autoscaler("web")).inNamespace(ns).create();
    VpaAdmissionController.recommend(client, ns, "web", "app", Map.of("cpu", "2"));
    // Template: request 1, limit 2 (ActiveProcessorCount 2). VPA: request 2, limit 4 (the ratio).
    Deployment web =
        TestDeployments.deployment("web")
            .cpuRequest("1")
            .cpuLimit("2")
            .memoryLimit("256Mi")
            .build();
    web.getSpec()
        .getTemplate()
        .getMetadata()
        .setAnnotations(Map.of(Annotations.JAVA_TUNING, "enabled"));
    Pod pod = firstPodOnceVpaHasTheRecommendation(ns, web);
    assertThat(limits(pod)).containsEntry("cpu", new Quantity("4"));
    assertThat(pod.getMetadata().getAnnotations()).containsKey("vpaUpdates");
    assertThat(env(pod, "JAVA_TOOL_OPTIONS")).isEqualTo("-XX:ActiveProcessorCount=4");
    assertThat(pod.getMetadata().getLabels()).containsEntry(Annotations.INJECTED_LABEL, "true");
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () -> {
              WorkloadResult result = InjectModeIT.result(ns, "default", "Deployment/web");
              assertThat(result.getPods().getCurrent()).isEqualTo(1);
              assertThat(result.getPods().getStale()).isZero();
            });
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("web")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .as("the template stays as written")
        .isNullOrEmpty();
  }

  @Test
  void inEnforceModeAResizedPodIsWarnedAboutAndReportedStaleUntilRecreated() {
    String ns = namespace("resize-enforce");
    TestPolicies.create(client, ns, "default", "{mode: Enforce}");
    Deployment api =
        TestDeployments.deployment("api")
            .annotation(Annotations.GO_TUNING, "enabled")
            .cpuLimit("2")
            .memoryLimit("512Mi")
            .build();
    client.apps().deployments().inNamespace(ns).resource(api).create();
    Pod pod = await().atMost(WITHIN).until(() -> onlyPod(ns, "api"), PodResize::resizable);
    assertThat(env(pod, "GOMAXPROCS")).as("from the tuned template").isEqualTo("2");
    assertThat(Objects.requireNonNullElse(pod.getMetadata().getAnnotations(), Map.of()))
        .as("no opt-in on the pod itself")
        .doesNotContainKey(Annotations.GO_TUNING);
    String name = pod.getMetadata().getName();

    PodResize.Answer answer = PodResize.patch(client, ns, name, PodResize.cpu("app", "4", "4"));
    // A workload event while the pod is stale: the reconciles it wakes look at that workload alone,
    // and neither they nor the resyncs between them announce the pod twice.
    Deployment other = TestDeployments.deployment("other").governed().cpuLimit("1").build();
    other.getSpec().setReplicas(0);
    client.apps().deployments().inNamespace(ns).resource(other).create();

    assertWarnsGoStaysAt2(answer);
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () -> {
              WorkloadResult result = InjectModeIT.result(ns, "default", "Deployment/api");
              assertThat(result.getPods().getStale()).isEqualTo(1);
              assertThat(result.getPods().getCurrent()).isZero();
              assertThat(result.getPods().getStaleReasons())
                  .containsExactly(Map.entry("ResizedInPlace", 1));
              assertThat(result.getState()).hasToString("Pending");
            });
    assertThat(staleEvent(ns, "ResizedInPlace").getMessage())
        .contains(name)
        .contains("kubectl rollout restart deployment/api")
        .contains("go.leaveLimitToRuntime: true");

    client.pods().inNamespace(ns).withName(name).delete();

    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(InjectModeIT.results(ns, "default").get("Deployment/api"))
                    .satisfies(
                        r -> {
                          assertThat(r.getPods()).as("no stale pod: no pod counts").isNull();
                          assertThat(r.getState()).hasToString("Tuned");
                        }));
    assertThat(client.v1().events().inNamespace(ns).list().getItems())
        .as("announced once over the reconciles it stayed stale through")
        .filteredOn(e -> "ResizedInPlace".equals(e.getReason()))
        .hasSize(1);
  }

  @Test
  void inEnforceModeAPodVpaAdmitsWithOtherResourcesIsReportedStale() {
    String ns = namespace("vpa-enforce");
    TestPolicies.create(client, ns, "default", "{mode: Enforce}");
    client.resource(VpaAdmissionController.autoscaler("web")).inNamespace(ns).create();
    VpaAdmissionController.recommend(client, ns, "web", "app", Map.of("cpu", "2"));
    Deployment web =
        TestDeployments.deployment("web")
            .annotation(Annotations.JAVA_TUNING, "enabled")
            .cpuRequest("1")
            .cpuLimit("2")
            .memoryLimit("256Mi")
            .build();
    Pod pod = firstPodOnceVpaHasTheRecommendation(ns, web);
    assertThat(limits(pod)).containsEntry("cpu", new Quantity("4"));
    assertThat(env(pod, "JAVA_TOOL_OPTIONS"))
        .as("Enforce computes from the template")
        .contains("-XX:ActiveProcessorCount=2");
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(
                        InjectModeIT.result(ns, "default", "Deployment/web")
                            .getPods()
                            .getStaleReasons())
                    .containsExactly(Map.entry("ResourcesChangedAtAdmission", 1)));
    assertThat(staleEvent(ns, "ResourcesChangedAtAdmission").getMessage())
        .contains(pod.getMetadata().getName())
        .contains("use mode Inject beside VPA");
  }

  /**
   * Creates {@code web} with no replica, waits until VPA's admission gives its ReplicaSet's pods a
   * CPU limit of 4 (VPA answers from its own cache of recommendations: a dry-run pod shows when it
   * has this one), then scales it to one and returns that pod.
   */
  private static Pod firstPodOnceVpaHasTheRecommendation(String ns, Deployment web) {
    String app = web.getMetadata().getName();
    web.getSpec().setReplicas(0);
    client.apps().deployments().inNamespace(ns).resource(web).create();
    ReplicaSet replicaSet =
        await()
            .atMost(WITHIN)
            .until(
                () -> client.apps().replicaSets().inNamespace(ns).withLabel("app", app).list(),
                list -> list.getItems().size() == 1)
            .getItems()
            .get(0);
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(limits(VpaAdmissionController.dryRunPodOf(client, ns, replicaSet)))
                    .containsEntry("cpu", new Quantity("4")));
    client.apps().deployments().inNamespace(ns).withName(app).scale(1);
    return await().atMost(WITHIN).until(() -> onlyPod(ns, app), p -> p != null);
  }

  /** The resize of a Go pod tuned at 2 CPUs to 4 was admitted with both of its warnings. */
  private static void assertWarnsGoStaysAt2(PodResize.Answer answer) {
    assertThat(answer.ok()).as(answer.body()).isTrue();
    assertThat(answer.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains(
                        "runtimepolicy: GOMAXPROCS=2 stays 2 after the CPU limit goes to 4 until"
                            + " the pod is recreated"))
        .anySatisfy(w -> assertThat(w).contains("go.leaveLimitToRuntime: true"));
  }

  /** The one Event of {@code reason} in {@code ns}, once it is there. */
  private static io.fabric8.kubernetes.api.model.Event staleEvent(String ns, String reason) {
    return await()
        .atMost(WITHIN)
        .until(
            () ->
                client.v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(e -> reason.equals(e.getReason()))
                    .toList(),
            events -> events.size() == 1)
        .get(0);
  }

  private static void optInGo(Deployment deployment) {
    deployment
        .getSpec()
        .getTemplate()
        .getMetadata()
        .setAnnotations(new HashMap<>(Map.of(Annotations.GO_TUNING, "enabled")));
  }

  private static String operatorWebhookName() {
    return client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .list()
        .getItems()
        .stream()
        .map(c -> c.getMetadata().getName())
        .filter(n -> !n.equals(VpaAdmissionController.WEBHOOK_CONFIGURATION))
        .findFirst()
        .orElseThrow();
  }

  /** The one running pod of app {@code app}, once it is the only one; null until then. */
  private static Pod onlyPod(String ns, String app) {
    List<Pod> pods =
        client.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    return pods.size() == 1 ? pods.get(0) : null;
  }

  private static Map<String, Quantity> limits(Pod pod) {
    return pod.getSpec().getContainers().get(0).getResources().getLimits();
  }

  private static String env(Pod pod, String name) {
    var env = pod.getSpec().getContainers().get(0).getEnv();
    return env == null
        ? null
        : env.stream()
            .filter(e -> e.getName().equals(name))
            .map(e -> e.getValue())
            .findFirst()
            .orElse(null);
  }
}
