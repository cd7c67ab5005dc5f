package io.runtimepolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real VPA admission controller beside the full cluster: a pod created for a workload that a
 * VerticalPodAutoscaler governs is admitted with the recommendation, not its template's resources.
 */
@WithRealApiServer(cluster = Cluster.FULL)
class VpaAdmissionIT {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final String NS = "vpa";

  static KubernetesClient client;
  @KubeConfigYaml static String kubeConfig;
  private static VpaAdmissionController vpa;

  @BeforeAll
  static void startVpa() {
    vpa =
        VpaAdmissionController.start(
            client, kubeConfig, Path.of("target", "full-cluster", "VpaAdmissionIT", "vpa"));
  }

  @AfterAll
  static void stopVpa() {
    if (vpa != null) {
      vpa.close();
    }
  }

  @Test
  void newPodsGetTheRecommendedResourcesAndTheTemplateKeepsItsOwn() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    vpas().resource(VpaAdmissionController.autoscaler("web")).create();
    VpaAdmissionController.recommend(
        client, NS, "web", "main", Map.of("cpu", "750m", "memory", "300Mi"));
    // No pods yet: the ReplicaSet exists, so a dry-run pod it owns shows when VPA's own cache
    // holds the recommendation, without admitting any real pod before that.
    client.apps().deployments().inNamespace(NS).resource(deployment("web", 0)).create();
    ReplicaSet replicaSet =
        await()
            .atMost(WITHIN)
            .until(
                () -> client.apps().replicaSets().inNamespace(NS).withLabel("app", "web").list(),
                list -> list.getItems().size() == 1)
            .getItems()
            .get(0);
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(
                        resources(
                                VpaAdmissionController.dryRunPodOf(client, NS, replicaSet), "main")
                            .getRequests())
                    .containsEntry("cpu", new Quantity("750m")));

    client.apps().deployments().inNamespace(NS).withName("web").scale(2);

    List<Pod> pods =
        await()
            .atMost(WITHIN)
            .until(
                () -> client.pods().inNamespace(NS).withLabel("app", "web").list().getItems(),
                list -> list.size() == 2);
    assertThat(pods)
        .allSatisfy(
            pod -> {
              ResourceRequirements main = resources(pod, "main");
              assertThat(main.getRequests())
                  .isEqualTo(Map.of("cpu", new Quantity("750m"), "memory", new Quantity("300Mi")));
              // Limits keep the template's ratio to requests (VPA's default, RequestsAndLimits).
              assertThat(main.getLimits())
                  .isEqualTo(Map.of("cpu", new Quantity("1500m"), "memory", new Quantity("600Mi")));
              assertThat(pod.getMetadata().getAnnotations()).containsKey("vpaUpdates");
            });
    Deployment stored = client.apps().deployments().inNamespace(NS).withName("web").get();
    assertThat(stored.getSpec().getTemplate().getSpec().getContainers().get(0).getResources())
        .isEqualTo(template("web").getSpec().getContainers().get(0).getResources());
  }

  private static ResourceRequirements resources(Pod pod, String container) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> container.equals(c.getName()))
        .findFirst()
        .orElseThrow()
        .getResources();
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      vpas() {
    return client
        .genericKubernetesResources("autoscaling.k8s.io/v1", "VerticalPodAutoscaler")
        .inNamespace(NS);
  }

  private static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withTemplate(template(name))
        .endSpec()
        .build();
  }

  private static PodTemplateSpec template(String app) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("example.invalid/" + app + ":1")
        .withNewResources()
        .addToRequests("cpu", new Quantity("500m"))
        .addToRequests("memory", new Quantity("200Mi"))
        .addToLimits("cpu", new Quantity("1"))
        .addToLimits("memory", new Quantity("400Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
