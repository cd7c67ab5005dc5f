package io.runtimepolicy.bench;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.testing.ControlPlane;
import io.runtimepolicy.testing.FullCluster;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The pinned kube-apiserver and etcd (kube-api-test, offline, listening on 127.0.0.1 only), or with
 * {@code --cluster=full} test-support's {@link FullCluster} (the same API server plus the
 * controller manager, the scheduler and kwok's fake nodes, all on loopback, so Deployments roll
 * out); the RuntimePolicy CRD, an admin client, and the webhook's serving certificate.
 */
final class BenchCluster {

  /**
   * The ServiceAccount the bench's pod templates name: on the full cluster the API server's
   * ServiceAccount admission refuses pods whose account does not exist.
   */
  private static final String SERVICE_ACCOUNT = "checkout";

  private final Path root;
  private final Path tmp;
  private final boolean full;
  private String kubeconfigYaml;
  private KubernetesClient client;
  private Path kubeconfig;
  private SelfSignedCertificate certificate;

  private BenchCluster(Path root, Path tmp, boolean full) {
    this.root = root;
    this.tmp = tmp;
    this.full = full;
  }

  static BenchCluster start(Path root, Cleanup cleanup, boolean full) throws IOException {
    Path tmp = Files.createTempDirectory("runtime-policy-bench");
    BenchCluster cluster = new BenchCluster(root, tmp, full);
    cleanup.add("temporary files", () -> deleteTree(tmp));
    if (full) {
      FullCluster server = new FullCluster(tmp.resolve("cluster"));
      cleanup.add("full cluster", server::stop);
      server.start();
      System.out.printf(
          "bench: full cluster ready in %.1f s (API server alone %.1f s), logs in %s%n",
          server.startupTime().toMillis() / 1000.0,
          server.apiServerStartupTime().toMillis() / 1000.0,
          server.workDir());
      cluster.kubeconfigYaml = server.getKubeConfigYaml();
    } else {
      KubeAPIServer server =
          new KubeAPIServer(ControlPlane.apiServerConfig(List.of("--bind-address", "127.0.0.1")));
      cleanup.add("API server", server::stop);
      server.start();
      cluster.kubeconfigYaml = server.getKubeConfigYaml();
    }
    cluster.kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), cluster.kubeconfigYaml);
    cluster.client = cluster.newClient();
    cleanup.add("admin client", cluster.client::close);
    cluster.certificate = SelfSignedCertificate.create(tmp.resolve("tls"));
    cluster.installCrd();
    return cluster;
  }

  KubernetesClient client() {
    return client;
  }

  /** A second client with its own connection, for load that must not share the admin's. */
  KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  /** Whether controllers, scheduler and fake nodes run: Deployments roll out. */
  boolean full() {
    return full;
  }

  SelfSignedCertificate certificate() {
    return certificate;
  }

  Path tmp() {
    return tmp;
  }

  Path root() {
    return root;
  }

  void createNamespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    if (full) {
      createServiceAccount(name);
    }
  }

  /**
   * The ServiceAccount the bench's pod templates name: the API server's ServiceAccount admission
   * refuses pods whose account does not exist, on the bare API server too.
   */
  void createServiceAccount(String namespace) {
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(SERVICE_ACCOUNT)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .serverSideApply();
  }

  /** The API server's own Prometheus metrics, read with the admin client. */
  PromText apiServerMetrics() {
    return PromText.parse(client.raw("/metrics"));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void installCrd() {
    Path crd =
        root.resolve("helm/runtime-policy-operator/crds/runtimepolicies.runtimepolicy.io-v1.yml");
    try (InputStream in = Files.newInputStream(crd)) {
      client
          .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
          .serverSideApply();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Poll.until(
        "the RuntimePolicy CRD to be served",
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        () -> {
          try {
            client.resources(RuntimePolicy.class).inAnyNamespace().list();
            return true;
          } catch (RuntimeException notYet) {
            return false;
          }
        });
  }
}
