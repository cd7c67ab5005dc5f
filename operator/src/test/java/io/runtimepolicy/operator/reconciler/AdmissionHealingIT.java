package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workloads admitted untuned while the webhook was unreachable are tuned once it answers again
 * (issue 19): one probe write per policy with backoff while it is away, then one write per
 * workload.
 */
@WithRealApiServer
class AdmissionHealingIT extends WithOperator {

  private static final int WORKLOADS = 5;

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of());
  }

  @Test
  void workloadsAdmittedUntunedAreTunedOnceTheWebhookAnswersAgainWithoutAStormMeanwhile() {
    String ns = namespace("healing");
    MutatingWebhookConfiguration registered = registration();
    // The fault: the registration points at a port nothing listens on, so every call fails open.
    client.resource(unreachable(registered)).update();
    for (int i = 0; i < WORKLOADS; i++) {
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .resource(TestDeployments.deployment("app-" + i).governed().cpuLimit("2").build())
          .create();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(results(ns))
                    .hasSize(WORKLOADS)
                    .allSatisfy(
                        r -> {
                          assertThat(r.getState()).isEqualTo(WorkloadState.Error);
                          assertThat(r.getFindings())
                              .contains(
                                  "the webhook did not tune the operator's write: check its"
                                      + " registration and Service; retrying");
                        }));
    assertThat(IntStream.range(0, WORKLOADS).mapToObj(this::env))
        .as("the fault landed: nothing was tuned")
        .containsOnlyNulls();
    double afterFirst = operatorWrites();
    assertThat(afterFirst).as("one write per workload admission missed").isEqualTo(WORKLOADS);
    // Still away: the first probe comes 5 s after the failure, then 10 s later: one write each.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(operatorWrites()).isGreaterThan(afterFirst));
    double probing = operatorWrites();
    assertThat(probing).as("writes while the webhook is away").isEqualTo(WORKLOADS + 1);

    client.resource(registered).update();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(IntStream.range(0, WORKLOADS).mapToObj(this::env))
                    .containsOnly("-XX:ActiveProcessorCount=2"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(results(ns))
                    .extracting(WorkloadResult::getState)
                    .containsOnly(WorkloadState.Tuned));
    assertThat(operatorWrites())
        .as("after the webhook is back: a probe, then one write for each other workload")
        .isBetween(probing + WORKLOADS, probing + WORKLOADS + 1);
  }

  private static MutatingWebhookConfiguration registration() {
    List<MutatingWebhookConfiguration> all =
        client.admissionRegistration().v1().mutatingWebhookConfigurations().list().getItems();
    assertThat(all).hasSize(1);
    MutatingWebhookConfiguration registered = all.get(0);
    registered.getMetadata().setResourceVersion(null);
    registered.getMetadata().setManagedFields(null);
    return registered;
  }

  private static MutatingWebhookConfiguration unreachable(MutatingWebhookConfiguration registered) {
    MutatingWebhookConfigurationBuilder broken =
        new MutatingWebhookConfigurationBuilder(registered);
    MutatingWebhookConfiguration copy = broken.build();
    copy.getWebhooks()
        .forEach(
            w ->
                w.getClientConfig()
                    .setUrl(w.getClientConfig().getUrl().replaceFirst(":[0-9]+/", ":1/")));
    return copy;
  }

  private String env(int i) {
    return TestDeployments.env(
        client.apps().deployments().inNamespace("healing").withName("app-" + i).get(),
        "JAVA_TOOL_OPTIONS");
  }

  private static List<WorkloadResult> results(String ns) {
    return TestPolicies.results(client, ns, "default");
  }
}
