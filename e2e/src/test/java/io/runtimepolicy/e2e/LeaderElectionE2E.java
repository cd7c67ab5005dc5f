package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.local.OperatorProcess;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.SelfSignedCertificate;
import io.runtimepolicy.testing.WebhookRegistrations;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operator processes with leader election, as two replicas of the chart: one Lease, one writer;
 * admission answered by the follower throughout; after a SIGKILL of the leader mid-batch, the other
 * takes over within the lease duration and 5 s, converges, and no workload is written by both.
 */
@WithRealApiServer
class LeaderElectionE2E {

  private static final String NS = "runtime-policy";
  private static final String LEASE = "runtime-policy-operator";

  /** JOSDK's default lease duration. */
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  static KubernetesClient client;
  @KubeConfigYaml static String kubeConfigYaml;
  @TempDir static Path dir;

  private OperatorProcess first;
  private OperatorProcess second;

  @AfterEach
  void stop() throws InterruptedException {
    for (OperatorProcess p : new OperatorProcess[] {first, second}) {
      if (p != null && p.isAlive()) {
        p.close();
      }
    }
  }

  @Test
  void oneLeaseOneWriterAndTheFollowerTakesOverAfterASigkillMidBatch() throws Exception {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            Serialization.unmarshal(
                Files.readString(ProjectFiles.chartCrd()), CustomResourceDefinition.class))
        .serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> client.resources(RuntimePolicy.class).inAnyNamespace().list() != null);
    for (String ns : new String[] {NS, "ha"}) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeConfigYaml);
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir.resolve("tls"));
    int followerWebhook = OperatorProcess.freePort();

    first = start("replica-a", OperatorProcess.freePort(), cert, kubeconfig);
    await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder()));
    second = start("replica-b", followerWebhook, cert, kubeconfig);
    // Admission goes to the follower the whole time: it needs no Lease.
    WebhookRegistrations.registerAndAwait(client, followerWebhook, cert.caPem(), NS, "ha");
    Deployment admitted = client.resource(deployment("admitted", "default")).create();
    assertThat(admitted.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(EnvValues.of(admitted, "app", "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-XX:ActiveProcessorCount=1");

    // 50 for the reconciler: they name a policy that appears only after them.
    IntStream.range(0, 50)
        .parallel()
        .forEach(i -> client.resource(deployment("svc-" + i, "later")).create());
    client
        .resource(
            """
            apiVersion: runtimepolicy.io/v1alpha1
            kind: RuntimePolicy
            metadata: {name: later, namespace: ha}
            spec: {}
            """)
        .create();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> tuned() >= 1);
    first.kill();
    long tunedAtKill = tuned();
    Instant killed = Instant.now();
    assertThat(tunedAtKill).as("tuned when the leader was killed").isBetween(1L, 49L);
    assertThat(writes(second)).as("writes by the follower while it followed").isZero();

    await().atMost(LEASE_DURATION.plusSeconds(5)).until(() -> "replica-b".equals(holder()));
    Duration takeover = Duration.between(killed, Instant.now());
    await().atMost(Duration.ofSeconds(60)).until(() -> tuned() == 50);

    // Each of the 50 written once: the new leader wrote exactly those the old one had not.
    assertThat(writes(second)).isEqualTo(50.0 - tunedAtKill);
    assertThat(client.apps().deployments().inNamespace("ha").list().getItems())
        .filteredOn(d -> d.getMetadata().getName().startsWith("svc-"))
        .allSatisfy(d -> assertThat(d.getMetadata().getGeneration()).isEqualTo(2L));
    System.out.printf(
        "LeaderElectionE2E: SIGKILL of the leader after %d of 50; the follower held the Lease %d ms"
            + " later%n",
        tunedAtKill, takeover.toMillis());
  }

  private static OperatorProcess start(
      String identity, int webhookPort, SelfSignedCertificate cert, Path kubeconfig) {
    Map<String, String> env = new HashMap<>();
    env.put("HOSTNAME", identity);
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("RUNTIMEPOLICY_OPERATOR_NAMESPACE", NS);
    env.put("RUNTIMEPOLICY_LEADER_ELECTION", "true");
    env.put("RUNTIMEPOLICY_LEASE_NAME", LEASE);
    env.put("RUNTIMEPOLICY_WEBHOOK_PORT", Integer.toString(webhookPort));
    env.put("RUNTIMEPOLICY_WEBHOOK_CERT_FILE", cert.certFile().toString());
    env.put("RUNTIMEPOLICY_WEBHOOK_KEY_FILE", cert.keyFile().toString());
    return OperatorProcess.start(
        ProjectFiles.root(), env, dir.resolve(identity + ".log"), Duration.ofSeconds(60));
  }

  private static Deployment deployment(String name, String policy) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ha")
        .withAnnotations(
            Map.of("runtimepolicy.io/java-tuning", "enabled", "runtimepolicy.io/policy", policy))
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1")
        .withNewResources()
        .addToLimits("cpu", new Quantity("500m"))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static String holder() {
    var lease = client.leases().inNamespace(NS).withName(LEASE).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static long tuned() {
    return client.apps().deployments().inNamespace("ha").list().getItems().stream()
        .filter(d -> d.getMetadata().getName().startsWith("svc-"))
        .filter(d -> EnvValues.of(d, "app", "JAVA_TOOL_OPTIONS") != null)
        .count();
  }

  private static double writes(OperatorProcess operator) {
    return PromText.scrape(operator.healthPort()).sum("runtimepolicy_deployments_patched_total");
  }
}
