package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.operator.InProcessOperator;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.testing.Cluster;
import io.runtimepolicy.testing.SelfSignedCertificate;
import io.runtimepolicy.testing.WebhookRegistrations;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code failurePolicy: Ignore} is never silent: pods created while the operator (and so its Pod
 * webhook) was down are counted as untuned once it is back, with a finding that says how to fix it.
 */
@WithRealApiServer(cluster = Cluster.FULL)
class InjectUntunedIT extends WithOperator {

  @Test
  void podsCreatedWhileTheOperatorWasStoppedAreReportedUntunedWhenItStarts() throws Exception {
    TestPolicies.installCrd(client);
    String ns = "inject-missed";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    TestPolicies.create(client, ns, "default", "{mode: Inject}");
    // Registered as in production, with nothing listening: the API server skips it (Ignore).
    String caPem =
        SelfSignedCertificate.create(Files.createTempDirectory("unused-webhook")).caPem();
    client
        .resource(
            WebhookRegistrations.loopback(
                1, caPem, InProcessOperator.OPERATOR_NAMESPACE, "inject.enabled=true"))
        .serverSideApply();
    Deployment api = TestDeployments.deployment("api").cpuLimit("1500m").build();
    InjectModeIT.optInOnTemplate(api.getSpec().getTemplate());
    api.getSpec().setReplicas(5);
    client.apps().deployments().inNamespace(ns).resource(api).create();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(pods(ns)).hasSize(5));
    assertThat(pods(ns))
        .allSatisfy(
            p ->
                assertThat(p.getMetadata().getLabels())
                    .doesNotContainKey(Annotations.INJECTED_LABEL));

    operator =
        InProcessOperator.start(
            client,
            Map.of(
                "RUNTIMEPOLICY_INJECT_ENABLED", "true",
                "RUNTIMEPOLICY_RESYNC_PERIOD", "5s",
                "RUNTIMEPOLICY_UNTUNED_POD_SCAN_INTERVAL", "2s"));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              WorkloadResult result = InjectModeIT.result(ns, "default", "Deployment/api");
              assertThat(result).isNotNull();
              assertThat(result.getPods().getUntuned()).isEqualTo(5);
              assertThat(result.getPods().getCurrent()).isZero();
              assertThat(result.getFindings())
                  .contains(
                      "5 pods created untuned (no webhook): kubectl rollout restart deployment/api");
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("PodsUntuned")));
  }

  private static List<Pod> pods(String ns) {
    return client.pods().inNamespace(ns).list().getItems();
  }
}
