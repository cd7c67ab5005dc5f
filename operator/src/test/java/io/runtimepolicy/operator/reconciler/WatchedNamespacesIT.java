package io.runtimepolicy.operator.reconciler;

import static io.runtimepolicy.operator.TestDeployments.deployment;
import static io.runtimepolicy.operator.TestDeployments.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.InProcessOperator;
import io.runtimepolicy.operator.RunningOperator;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** RUNTIMEPOLICY_WATCH_NAMESPACES with several namespaces: each keeps its own Deployments. */
@WithRealApiServer
class WatchedNamespacesIT {

  static KubernetesClient client;
  static RunningOperator operator;

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void eachWatchedNamespaceCountsItsOwnDeploymentsAndOthersAreLeftAlone() throws Exception {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            Serialization.unmarshal(
                getClass()
                    .getResourceAsStream(
                        "/META-INF/fabric8/runtimepolicies.runtimepolicy.io-v1.yml"),
                CustomResourceDefinition.class))
        .serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> client.resources(RuntimePolicy.class).inAnyNamespace().list() != null);
    for (String ns : new String[] {"team-a", "team-b", "team-c"}) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    // Present before the operator starts, so its initial lists see both namespaces at once.
    IntStream.range(0, 3).forEach(i -> create("team-a", "a" + i));
    IntStream.range(0, 2).forEach(i -> create("team-b", "b" + i));
    create("team-c", "c0");

    operator =
        InProcessOperator.start(client, Map.of("RUNTIMEPOLICY_WATCH_NAMESPACES", "team-a,team-b"));

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(policy("team-a").getStatus().getTargets()).isEqualTo(3);
              assertThat(policy("team-a").getStatus().getTuned()).isEqualTo(3);
              assertThat(policy("team-b").getStatus().getTargets()).isEqualTo(2);
              assertThat(policy("team-b").getStatus().getTuned()).isEqualTo(2);
            });
    assertThat(client.resources(RuntimePolicy.class).inNamespace("team-c").list().getItems())
        .isEmpty();
    assertThat(
            env(
                client.apps().deployments().inNamespace("team-c").withName("c0").get(),
                "JAVA_TOOL_OPTIONS"))
        .isNull();
  }

  private static RuntimePolicy policy(String ns) {
    return client.resources(RuntimePolicy.class).inNamespace(ns).withName("default").get();
  }

  private static void create(String ns, String name) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(deployment(name).governed().cpuLimit("2").build())
        .create();
  }
}
