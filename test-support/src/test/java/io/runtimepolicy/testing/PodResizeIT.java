package io.runtimepolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An in-place resize on the full cluster: the API server accepts {@code pods/resize} for pods on
 * the kwok nodes, and the node (kwok's stage) reports the resized resources in the pod's status.
 */
@WithRealApiServer(cluster = Cluster.FULL)
class PodResizeIT {

  private static final Duration WITHIN = Duration.ofSeconds(30);

  static KubernetesClient client;

  @Test
  void resizedCpuIsReportedInStatusAndOtherContainersKeepTheirs() {
    String ns = namespace("resize-cpu");
    client.pods().inNamespace(ns).resource(pod("app")).create();
    Pod running = awaitReported(ns, "app");
    assertThat(status(running, "main").getResources().getLimits()).containsEntry("cpu", q("2"));
    assertThat(status(running, "main").getAllocatedResources()).containsEntry("cpu", q("1"));

    PodResize.Answer answer = PodResize.patch(client, ns, "app", PodResize.cpu("main", "2", "4"));

    assertThat(answer.ok()).as(answer.body()).isTrue();
    Pod resized = awaitReported(ns, "app");
    assertThat(resized.getMetadata().getGeneration()).isGreaterThan(1L);
    ContainerStatus main = status(resized, "main");
    assertThat(main.getResources().getRequests()).containsEntry("cpu", q("2"));
    assertThat(main.getResources().getLimits()).containsEntry("cpu", q("4"));
    assertThat(main.getAllocatedResources()).containsEntry("cpu", q("2"));
    assertThat(status(resized, "sidecar").getResources().getLimits())
        .isEqualTo(Map.of("memory", q("64Mi")));
    assertThat(status(resized, "plain").getResources().getLimits()).isEmpty();
    assertThat(resized.getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void resizeConditionsAreClearedOnceTheResizeIsReported() {
    String ns = namespace("resize-conditions");
    client.pods().inNamespace(ns).resource(pod("app")).create();
    awaitReported(ns, "app");
    // What a kubelet writes while a resize waits for room on the node.
    PodCondition pending =
        new PodConditionBuilder()
            .withType("PodResizePending")
            .withStatus("True")
            .withReason("Deferred")
            .build();
    client
        .pods()
        .inNamespace(ns)
        .withName("app")
        .editStatus(
            p -> new PodBuilder(p).editStatus().addToConditions(pending).endStatus().build());

    PodResize.Answer answer = PodResize.patch(client, ns, "app", PodResize.cpu("main", "1", "3"));

    assertThat(answer.ok()).as(answer.body()).isTrue();
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () -> {
              Pod pod = client.pods().inNamespace(ns).withName("app").get();
              assertThat(status(pod, "main").getResources().getLimits())
                  .containsEntry("cpu", q("3"));
              assertThat(pod.getStatus().getConditions())
                  .extracting(PodCondition::getType)
                  .contains("Ready")
                  .doesNotContain("PodResizePending", "PodResizeInProgress");
            });
  }

  /** Until the pod runs and every container reports its spec's resources, for its generation. */
  private static Pod awaitReported(String ns, String name) {
    return await()
        .atMost(WITHIN)
        .until(
            () -> client.pods().inNamespace(ns).withName(name).get(),
            pod ->
                "Running".equals(pod.getStatus().getPhase())
                    && pod.getMetadata()
                        .getGeneration()
                        .equals(pod.getStatus().getObservedGeneration())
                    && pod.getSpec().getContainers().stream()
                        .allMatch(
                            c ->
                                status(pod, c.getName()).getResources() != null
                                    && c.getResources()
                                        .getRequests()
                                        .equals(
                                            status(pod, c.getName()).getResources().getRequests())
                                    && c.getResources()
                                        .getLimits()
                                        .equals(
                                            status(pod, c.getName()).getResources().getLimits())));
  }

  private static ContainerStatus status(Pod pod, String container) {
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> container.equals(s.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no status for container " + container));
  }

  // Burstable (requests below limits), so a CPU resize keeps the QoS class, as the API requires.
  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        // First: the API server decides whether the node supports resize from the first running
        // container's status, so one without resources must report (empty) ones too.
        .addNewContainer()
        .withName("plain")
        .withImage("example.invalid/plain:1")
        .endContainer()
        .addNewContainer()
        .withName("main")
        .withImage("example.invalid/app:1")
        .withNewResources()
        .addToRequests("cpu", q("1"))
        .addToLimits("cpu", q("2"))
        .endResources()
        .endContainer()
        .addNewContainer()
        .withName("sidecar")
        .withImage("example.invalid/sidecar:1")
        .withNewResources()
        .addToRequests("memory", q("64Mi"))
        .addToLimits("memory", q("64Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private static Quantity q(String amount) {
    return new Quantity(amount);
  }

  private static String namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }
}
