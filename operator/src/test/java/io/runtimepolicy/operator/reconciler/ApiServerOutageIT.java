package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.runtimepolicy.operator.InProcessOperator;
import io.runtimepolicy.operator.RunningOperator;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.testing.ApiServerOutage;
import io.runtimepolicy.testing.ControlPlane;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.Readyz;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server down for 30 s (etcd up) while a batch is being tuned, then back on the same port
 * and certificates: the operator keeps running, and every change made around the outage converges.
 * /readyz stays 200 through it (ReadinessIT polls it closely): the webhook answers from its cache,
 * and the API server, its only caller, is the one that is down.
 */
class ApiServerOutageIT {

  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static KubeAPIServer server;
  static KubernetesClient client;
  static RunningOperator operator;

  @BeforeAll
  static void start() throws Exception {
    server = new KubeAPIServer(ControlPlane.apiServerConfig(List.of()));
    server.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build();
    TestPolicies.installCrd(client);
    operator = InProcessOperator.start(client, Map.of("RUNTIMEPOLICY_RESYNC_PERIOD", "5s"));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void theOperatorRidesOutA30SecondOutageAndConvergesWhatChangedAroundIt() throws Exception {
    String ns = "outage";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    IntStream.range(0, 30)
        .forEach(
            i ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(ns)
                    .resource(
                        TestDeployments.deployment("svc-" + i)
                            .governed()
                            .annotation("runtimepolicy.io/policy", "later")
                            .cpuLimit("2")
                            .build())
                    .create());
    TestPolicies.create(client, ns, "later", "{}");
    await().atMost(Duration.ofSeconds(30)).until(() -> tuned(ns) >= 1);

    try (ApiServerOutage outage = ApiServerOutage.begin(server, dir.resolve("apiserver.log"))) {
      // The outage lasts its 30 s: nothing accepts connections on the API server's port.
      await()
          .during(OUTAGE)
          .atMost(OUTAGE.plusSeconds(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(outage::refusing);
      outage.end();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> client.namespaces().withName(ns).get() != null);

      // A change right after the outage, and the batch it interrupted, both converge.
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .resource(TestDeployments.deployment("after").governed().cpuLimit("3").build())
          .create();
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(tuned(ns)).isEqualTo(30);
                assertThat(
                        EnvValues.of(
                            client.apps().deployments().inNamespace(ns).withName("after").get(),
                            "app",
                            "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-XX:ActiveProcessorCount=3");
                assertThat(Readyz.get(operator.healthPort()).status()).isEqualTo(200);
              });
      // One write per Deployment of the batch, across the outage: none written twice. The
      // counter counts acknowledged writes: one the API server applied while going down, whose
      // answer never came, is stored tuned (generation 2) but not counted; at most the 4 writes
      // in flight (RUNTIMEPOLICY_WRITE_CONCURRENCY) can be lost so.
      assertThat(
              PromText.scrape(operator.healthPort()).sum("runtimepolicy_deployments_patched_total"))
          .isBetween(25.0, 30.0);
      assertThat(client.apps().deployments().inNamespace(ns).list().getItems())
          .filteredOn(d -> d.getMetadata().getName().startsWith("svc-"))
          .hasSize(30)
          .allSatisfy(d -> assertThat(d.getMetadata().getGeneration()).isEqualTo(2L));
    }
  }

  private static long tuned(String ns) {
    return client.apps().deployments().inNamespace(ns).list().getItems().stream()
        .filter(d -> d.getMetadata().getName().startsWith("svc-"))
        .filter(d -> EnvValues.of(d, "app", "JAVA_TOOL_OPTIONS") != null)
        .count();
  }
}
