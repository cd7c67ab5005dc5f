package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.InProcessOperator;
import io.runtimepolicy.operator.RunningOperator;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator restart over tuned workloads is quiet: no write, and no Event announcing them again.
 */
@WithRealApiServer
class RestartIT {

  static KubernetesClient client;
  static RunningOperator operator;

  @BeforeAll
  static void install() {
    TestPolicies.installCrd(client);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aRestartOverTunedWorkloadsWritesNothingAndRecordsNoTunedEventAgain() throws Exception {
    String ns = "restart";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    operator = InProcessOperator.start(client, Map.of());
    for (String name : new String[] {"a", "b", "c"}) {
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .resource(TestDeployments.deployment(name).governed().cpuLimit("2").build())
          .create();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> tunedEvents(ns) == 3);
    // Creation timestamps have whole seconds: restart in a later second than the creates, as any
    // real restart is.
    Instant created =
        Instant.parse(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("c")
                .get()
                .getMetadata()
                .getCreationTimestamp());
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(created));

    operator.close();
    operator = InProcessOperator.start(client, Map.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              PromText metrics = PromText.scrape(operator.healthPort());
              return metrics.sum("operator_sdk_reconciliations_started_total") >= 1
                  && metrics.sum("runtimepolicy_events_pending") == 0
                  && TestPolicies.status(client, ns, "default").getTuned() == 3;
            });

    assertThat(tunedEvents(ns)).isEqualTo(3);
    assertThat(
            PromText.scrape(operator.healthPort()).sum("runtimepolicy_deployments_patched_total"))
        .isZero();
  }

  private static long tunedEvents(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Tuned".equals(e.getReason()))
        .count();
  }
}
