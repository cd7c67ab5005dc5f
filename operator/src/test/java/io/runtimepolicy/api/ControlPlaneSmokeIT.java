package io.runtimepolicy.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.ControlPlane;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.WithRealApiServer;
import org.junit.jupiter.api.Test;

/** The pinned control plane every other integration test stands on. */
@WithRealApiServer
class ControlPlaneSmokeIT {

  static KubernetesClient client;

  @KubeConfigYaml static String kubeConfigYaml;

  @Test
  void apiServerStoresAndServesObjects() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("smoke").endMetadata().build())
        .create();
    client
        .configMaps()
        .inNamespace("smoke")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("greeting")
                .endMetadata()
                .addToData("hello", "world")
                .build())
        .create();

    assertThat(client.configMaps().inNamespace("smoke").withName("greeting").get().getData())
        .containsEntry("hello", "world");
  }

  @Test
  void customResourceDefinitionBecomesEstablished() {
    CrdFiles.applyAndAwaitEstablished(client);

    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(CrdFiles.NAME)
                .get()
                .getSpec()
                .getNames()
                .getShortNames())
        .containsExactly("rtp");
  }

  @Test
  void installedKubectlTalksToTheServerAtThePinnedVersion() {
    Cli kubectl = Cli.against(kubeConfigYaml);

    assertThat(kubectl.kubectl("get", "namespaces", "-o", "name").assertSuccess().stdout())
        .contains("namespace/default", "namespace/kube-system");
    assertThat(kubectl.kubectl("version").assertSuccess().stdout())
        .contains("Client Version: v" + ControlPlane.kubeVersion())
        .contains("Server Version: v" + ControlPlane.kubeVersion());
  }

  @Test
  void installedHelmIsThePinnedVersion() {
    assertThat(Cli.withoutCluster().helm("version").assertSuccess().stdout())
        .contains("Version:\"" + System.getProperty("helm.version") + "\"");
  }
}
