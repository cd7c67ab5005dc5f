package io.runtimepolicy.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The full cluster does what a cluster does to workloads, and only ever on loopback. */
@WithRealApiServer(cluster = Cluster.FULL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullClusterIT {

  static KubernetesClient client;

  @Test
  void deploymentWithTwoReplicasHasTwoPodsRunningAndReadyWithin30Seconds() {
    String ns = namespace("deploy");
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withTemplate(template("web"))
                .endSpec()
                .build())
        .create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<Pod> pods = pods(ns, "web");
              assertThat(pods).hasSize(2).allSatisfy(FullClusterIT::assertRunningReadyOnLoopback);
              assertThat(
                      client.apps().deployments().inNamespace(ns).withName("web").get().getStatus())
                  .satisfies(s -> assertThat(s.getReadyReplicas()).isEqualTo(2));
            });
  }

  @Test
  void statefulSetPodsComeUpInOrder() {
    String ns = namespace("sts");
    Map<String, Pod> seen = new ConcurrentHashMap<>();
    List<String> created = new CopyOnWriteArrayList<>();
    List<String> outOfOrder = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client
            .pods()
            .inNamespace(ns)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    String name = pod.getMetadata().getName();
                    if (action == Action.ADDED) {
                      created.add(name);
                      int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
                      for (int before = 0; before < ordinal; before++) {
                        Pod earlier = seen.get("db-" + before);
                        if (earlier == null || !ready(earlier)) {
                          outOfOrder.add(name + " created before db-" + before + " was Ready");
                        }
                      }
                    }
                    seen.put(name, pod);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      client
          .apps()
          .statefulSets()
          .inNamespace(ns)
          .resource(
              new StatefulSetBuilder()
                  .withNewMetadata()
                  .withName("db")
                  .endMetadata()
                  .withNewSpec()
                  .withReplicas(3)
                  .withServiceName("db")
                  .withNewSelector()
                  .addToMatchLabels("app", "db")
                  .endSelector()
                  .withTemplate(template("db"))
                  .endSpec()
                  .build())
          .create();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(pods(ns, "db"))
                      .hasSize(3)
                      .allSatisfy(FullClusterIT::assertRunningReadyOnLoopback));
    }
    assertThat(created).containsExactly("db-0", "db-1", "db-2");
    assertThat(outOfOrder).isEmpty();
  }

  @Test
  void daemonSetHasOnePodPerFakeNode() {
    String ns = namespace("ds");
    client
        .apps()
        .daemonSets()
        .inNamespace(ns)
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("agent")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "agent")
                .endSelector()
                .withTemplate(template("agent"))
                .endSpec()
                .build())
        .create();

    List<String> nodes = IntStream.range(0, FullCluster.NODES).mapToObj(FakeNodes::name).toList();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<Pod> pods = pods(ns, "agent");
              assertThat(pods).allSatisfy(FullClusterIT::assertRunningReadyOnLoopback);
              assertThat(pods.stream().map(p -> p.getSpec().getNodeName()))
                  .containsExactlyInAnyOrderElementsOf(nodes);
            });
  }

  @Test
  void jobRunsToCompletion() {
    String ns = namespace("batch");
    PodTemplateSpec template = template("once");
    template.getSpec().setRestartPolicy("Never");
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("once")
                .endMetadata()
                .withNewSpec()
                .withTemplate(template)
                .endSpec()
                .build())
        .create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(client.batch().v1().jobs().inNamespace(ns).withName("once").get())
                    .satisfies(j -> assertThat(j.getStatus().getSucceeded()).isEqualTo(1)));
  }

  @Test
  void namespaceDeletionCompletesAndItsObjectsAreGone() {
    String ns = namespace("doomed");
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("app")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "app")
                .endSelector()
                .withTemplate(template("app"))
                .endSpec()
                .build())
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(pods(ns, "app"))
                    .hasSize(2)
                    .allSatisfy(FullClusterIT::assertRunningReadyOnLoopback));

    client.namespaces().withName(ns).delete();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(client.namespaces().withName(ns).get()).isNull());
    assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.apps().replicaSets().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.configMaps().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.serviceAccounts().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void serviceAccountTokenIsSignedWithTheApiServersKey() {
    String ns = namespace("tokens");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("default-token")
                .addToAnnotations("kubernetes.io/service-account.name", "default")
                .endMetadata()
                .withType("kubernetes.io/service-account-token")
                .build())
        .create();

    Secret secret =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> client.secrets().inNamespace(ns).withName("default-token").get(),
                s -> s.getData() != null && s.getData().containsKey("token"));
    assertThat(secret.getData()).containsKeys("ca.crt", "namespace");

    String token = new String(Base64.getDecoder().decode(secret.getData().get("token")), UTF_8);
    try (KubernetesClient asServiceAccount =
        new KubernetesClientBuilder()
            .withConfig(
                Config.fromKubeconfig(
                    Cli.kubeconfigYaml(client.getConfiguration(), "token: " + token, ns)))
            .build()) {
      // Authenticated (the API server accepts the signature) but not authorized: 403, not 401.
      assertThatThrownBy(() -> asServiceAccount.pods().inNamespace(ns).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
          .hasMessageContaining("system:serviceaccount:" + ns + ":default");
    }
  }

  // After the workloads, so their pods are checked too.
  @Test
  @Order(Integer.MAX_VALUE - 1)
  void nothingInTheClusterNamesAnAddressOffThisMachine() {
    List<Node> nodes = client.nodes().list().getItems();
    assertThat(nodes)
        .hasSize(FullCluster.NODES)
        .allSatisfy(n -> assertThat(FakeNodes.ready(n)).isTrue());
    assertThat(nodes.stream().flatMap(n -> n.getStatus().getAddresses().stream()))
        .filteredOn(a -> a.getType().endsWith("IP"))
        .hasSize(FullCluster.NODES)
        .extracting(NodeAddress::getAddress)
        .allSatisfy(FullClusterIT::assertLoopback);
    assertThat(nodes.stream().flatMap(n -> n.getSpec().getPodCIDRs().stream()))
        .allSatisfy(cidr -> assertThat(cidr).startsWith("127."));

    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    assertThat(pods).isNotEmpty();
    assertThat(pods.stream().flatMap(p -> p.getStatus().getPodIPs().stream()))
        .extracting(PodIP::getIp)
        .allSatisfy(FullClusterIT::assertLoopback);
    assertThat(pods.stream().flatMap(p -> p.getStatus().getHostIPs().stream()))
        .extracting(HostIP::getIp)
        .allSatisfy(FullClusterIT::assertLoopback);

    assertThat(client.endpoints().inAnyNamespace().list().getItems())
        .flatExtracting(e -> e.getSubsets())
        .flatExtracting(EndpointSubset::getAddresses)
        .extracting(EndpointAddress::getIp)
        .allSatisfy(FullClusterIT::assertLoopback);
  }

  // Last, so it sees the sockets every test above opened or reused.
  @Test
  @Order(Integer.MAX_VALUE)
  void everySocketOfTheClusterStaysOnLoopback() {
    List<LoopbackSockets.Socket> sockets = LoopbackSockets.ofThisJvmAndItsChildren();
    System.out.println("Full cluster TCP sockets (" + sockets.size() + "):");
    sockets.stream().map(s -> "  " + s).distinct().sorted().forEach(System.out::println);

    assertThat(sockets).isNotEmpty();
    assertThat(sockets)
        .filteredOn(s -> !s.listening())
        .allSatisfy(
            s -> {
              assertThat(s.local().isLoopbackAddress()).as(s.toString()).isTrue();
              assertThat(s.remote().isLoopbackAddress()).as(s.toString()).isTrue();
            });
    // etcd's client listener is kube-api-test's choice (0.0.0.0, no flag to change it); every
    // other listener is bound to loopback.
    assertThat(sockets)
        .filteredOn(s -> s.listening() && !s.process().equals("etcd"))
        .allSatisfy(s -> assertThat(s.local().isLoopbackAddress()).as(s.toString()).isTrue());
  }

  private static String namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  // The image is never pulled: kwok only simulates the pod's lifecycle.
  private static PodTemplateSpec template(String app) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("example.invalid/" + app + ":1")
        .endContainer()
        .endSpec()
        .build();
  }

  private static List<Pod> pods(String ns, String app) {
    return client.pods().inNamespace(ns).withLabel("app", app).list().getItems();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void assertRunningReadyOnLoopback(Pod pod) {
    assertThat(pod.getStatus().getPhase()).as(pod.getMetadata().getName()).isEqualTo("Running");
    assertThat(ready(pod)).as(pod.getMetadata().getName() + " Ready").isTrue();
    assertLoopback(pod.getStatus().getPodIP());
    assertLoopback(pod.getStatus().getHostIP());
  }

  private static void assertLoopback(String address) {
    assertThat(address).isNotNull();
    try {
      assertThat(InetAddress.getByName(address).isLoopbackAddress()).as(address).isTrue();
    } catch (UnknownHostException e) {
      throw new AssertionError(address, e);
    }
  }
}
