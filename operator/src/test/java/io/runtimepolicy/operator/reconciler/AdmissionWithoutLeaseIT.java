package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.InProcessOperator;
import io.runtimepolicy.operator.RunningOperator;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.Readyz;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replica that is not the leader still answers admission with the values: JOSDK starts the
 * informers on every replica and only holds reconciling back until the Lease is won, so the
 * webhook's policy cache is there on followers too. A workload applied through any replica behind
 * the Service therefore rolls out once, and only the leader ever writes.
 */
@WithRealApiServer
class AdmissionWithoutLeaseIT {

  private static final String LEASE = "runtime-policy-operator";

  static KubernetesClient client;
  static RunningOperator follower;

  @BeforeAll
  static void startAFollower() throws Exception {
    TestPolicies.installCrd(client);
    for (String ns : new String[] {InProcessOperator.OPERATOR_NAMESPACE, "shop"}) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    // Another replica holds the Lease, renewed just now, for an hour.
    client
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(LEASE)
                .withNamespace(InProcessOperator.OPERATOR_NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("the-other-replica")
                .withLeaseDurationSeconds(3600)
                .withAcquireTime(now())
                .withRenewTime(now())
                .endSpec()
                .build())
        .create();
    // start() returns once the webhook answers governed workloads with the values.
    follower =
        InProcessOperator.start(
            client,
            Map.of("RUNTIMEPOLICY_LEADER_ELECTION", "true", "RUNTIMEPOLICY_LEASE_NAME", LEASE));
  }

  @AfterAll
  static void stop() {
    if (follower != null) {
      follower.close();
    }
  }

  @Test
  void theFollowersWebhookTunesInTheUsersWriteByItsNamedPolicyAndTheFollowerWritesNothing() {
    // A named policy: a follower without the policies would not know it, and would leave the
    // workload untuned with a "does not exist" warning.
    TestPolicies.create(client, "shop", "floor", "{java: {rounding: Floor}}");
    Deployment api =
        TestDeployments.deployment("api")
            .governed()
            .annotation("runtimepolicy.io/policy", "floor")
            .cpuLimit("1500m")
            .build();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                EnvValues.of(
                    client.apps().deployments().inNamespace("shop").resource(api).dryRun().create(),
                    "app",
                    "JAVA_TOOL_OPTIONS"),
            "-XX:ActiveProcessorCount=1"::equals);

    // Behind the Service like every replica: ready without the Lease.
    assertThat(Readyz.get(follower.healthPort()).status()).isEqualTo(200);

    Deployment created = client.apps().deployments().inNamespace("shop").resource(api).create();

    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(EnvValues.of(created, "app", "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-XX:ActiveProcessorCount=1");
    assertThat(
            client
                .leases()
                .inNamespace(InProcessOperator.OPERATOR_NAMESPACE)
                .withName(LEASE)
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo("the-other-replica");
    assertThat(
            PromText.scrape(follower.healthPort()).sum("runtimepolicy_deployments_patched_total"))
        .isZero();
  }

  private static ZonedDateTime now() {
    return ZonedDateTime.now(ZoneOffset.UTC);
  }
}
