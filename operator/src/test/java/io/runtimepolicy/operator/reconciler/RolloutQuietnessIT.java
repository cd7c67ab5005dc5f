package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.Cluster;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator watched while the deployment controller really rolls out: a Deployment that existed
 * before its policy is tuned by one write, which makes exactly one new ReplicaSet; through the
 * whole rollout (the controller writes status several times) and two resync periods after it the
 * operator writes nothing more.
 */
@WithRealApiServer(cluster = Cluster.FULL)
class RolloutQuietnessIT extends WithOperator {

  private static final Duration RESYNC = Duration.ofSeconds(5);

  @KubeConfigYaml static String kubeConfigYaml;

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of("RUNTIMEPOLICY_RESYNC_PERIOD", RESYNC.toSeconds() + "s"));
  }

  @Test
  void aDeploymentThatExistedBeforeItsPolicyRollsOutOnceAndTheOperatorThenStaysQuiet() {
    String ns = "rollout";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    Deployment before =
        TestDeployments.deployment("api")
            .governed()
            .annotation("runtimepolicy.io/policy", "later")
            .cpuLimit("2")
            .build();
    before.getSpec().setReplicas(2);
    client.apps().deployments().inNamespace(ns).resource(before).create();
    Cli kubectl = Cli.against(kubeConfigYaml);
    kubectl.kubectl("rollout", "status", "deploy/api", "-n", ns, "--timeout=60s").assertSuccess();
    assertThat(replicaSets(ns)).hasSize(1);
    double writesBefore = operatorWrites();

    TestPolicies.create(client, ns, "later", "{}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(EnvValues.of(get(ns), "app", "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-XX:ActiveProcessorCount=2"));
    Cli.Result rollout =
        kubectl.kubectl("rollout", "status", "deploy/api", "-n", ns, "--timeout=60s");
    assertThat(rollout.exitCode()).as("%s", rollout).isZero();
    double writesAfterTuning = operatorWrites();
    double reconcilesAfterTuning = reconciles();

    Instant quietUntil = Instant.now().plus(RESYNC.multipliedBy(2)).plusSeconds(1);
    await()
        .atMost(RESYNC.multipliedBy(4))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Instant.now().isAfter(quietUntil) && reconciles() > reconcilesAfterTuning);

    assertThat(writesAfterTuning - writesBefore).as("the one tuning write").isEqualTo(1.0);
    assertThat(operatorWrites()).as("writes after the rollout").isEqualTo(writesAfterTuning);
    assertThat(replicaSets(ns)).as("one ReplicaSet before, one for the tuning").hasSize(2);
    assertThat(get(ns).getMetadata().getGeneration()).isEqualTo(2L);
    System.out.printf(
        "RolloutQuietnessIT: %.0f reconciles over the rollout and two %ds resync periods%n",
        reconciles() - reconcilesAfterTuning, RESYNC.toSeconds());
  }

  private static List<ReplicaSet> replicaSets(String ns) {
    return client.apps().replicaSets().inNamespace(ns).list().getItems();
  }

  private static Deployment get(String ns) {
    return client.apps().deployments().inNamespace(ns).withName("api").get();
  }

  private static double reconciles() {
    return PromText.scrape(operator.healthPort()).sum("operator_sdk_reconciliations_started_total");
  }
}
