package io.runtimepolicy.operator.reports;

import static io.runtimepolicy.operator.TestDeployments.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.InProcessOperator;
import io.runtimepolicy.operator.LogCapture;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.testing.Cluster;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenReports on the full cluster (its garbage collector removes what a deleted policy owned): the
 * operator starts without the Report API and says so once; the CRD generated from the project's own
 * model is installed while it runs, and every policy's Report appears, one result per listed
 * workload and rule, bounded like the status, its summary counting every workload; resyncs then
 * write nothing, a change is written, a restarted operator finds its Reports as it left them, and a
 * deleted policy's Report goes with it.
 */
@WithRealApiServer(cluster = Cluster.FULL)
class ReportsIT extends WithOperator {

  private static final Map<String, String> ENV =
      Map.of(
          "RUNTIMEPOLICY_REPORTS_CHECK_INTERVAL", "1s",
          "RUNTIMEPOLICY_RESYNC_PERIOD", "2s",
          "RUNTIMEPOLICY_RESULTS_LIMIT", "3");

  private static LogCapture logs;

  @BeforeAll
  static void start() throws Exception {
    logs = LogCapture.of("io.runtimepolicy.operator.reports", Level.DEBUG);
    startOperator(ENV);
  }

  @AfterAll
  static void stopCapture() {
    logs.close();
  }

  @Test
  void reportsFollowTheStatusOnceTheirApiIsInstalled() throws Exception {
    String enforce = namespace("reports-enforce");
    String audit = namespace("reports-audit");
    TestPolicies.create(client, enforce, "p", "{}");
    TestPolicies.create(client, audit, "p", "{mode: Audit}");
    create(enforce, deployment("tuned").cpuLimit("2").liveness(1));
    create(enforce, deployment("tuned-too").cpuLimit("1").liveness(1));
    create(enforce, deployment("violating").cpuLimit("1").liveness(10));
    create(enforce, deployment("skipped"));
    create(audit, deployment("pending").cpuLimit("2"));
    await("both policies report their workloads")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(TestPolicies.status(client, enforce, "p").getTargets()).isEqualTo(4);
              assertThat(TestPolicies.results(client, audit, "p")).hasSize(1);
            });

    await("the API is looked up again and again")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(lines("Looked up")).hasSizeGreaterThanOrEqualTo(3));
    assertThat(lines("is not installed")).hasSize(1);

    installReportCrd();
    await("each policy's Report is written, within the lookup interval of the CRD's install")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(report(enforce)).isNotNull();
              assertThat(report(audit)).isNotNull();
            });
    assertThat(lines("found")).hasSize(1);
    // Bounded like the status: the three workloads it lists (violations first) of four, each with
    // one result per rule; the summary counts all four.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(outcomes(enforce))
                    .containsEntry("violating/runtime-tuning", "pass")
                    .containsEntry("violating/probe-timing", "fail")
                    .containsEntry("skipped/runtime-tuning", "skip")
                    .containsEntry("skipped/probe-timing", "skip")
                    .hasSize(6));
    Report enforced = report(enforce);
    assertThat(enforced.getSource()).isEqualTo("runtime-policy");
    assertThat(enforced.getSummary()).isEqualTo(new ReportSummary(5, 1, 0, 0, 2));
    ObjectReference violating =
        enforced.getResults().stream()
            .flatMap(r -> r.resources().stream())
            .filter(r -> r.getName().equals("violating"))
            .findFirst()
            .orElseThrow();
    assertThat(violating.getKind()).isEqualTo("Deployment");
    assertThat(violating.getApiVersion()).isEqualTo("apps/v1");
    assertThat(violating.getNamespace()).isEqualTo(enforce);
    assertThat(enforced.getResults())
        .filteredOn(r -> r.result().equals("fail"))
        .singleElement()
        .satisfies(r -> assertThat(r.message()).contains("liveness probe timeoutSeconds 10"));
    assertThat(outcomes(audit))
        .isEqualTo(Map.of("pending/runtime-tuning", "warn", "pending/probe-timing", "skip"));
    assertThat(report(audit).getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(policy(audit).getMetadata().getUid()));

    quietThroughResyncs(enforce, audit);

    client
        .apps()
        .deployments()
        .inNamespace(enforce)
        .withName("violating")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getLivenessProbe()
                  .setTimeoutSeconds(1);
              return d;
            });
    await("the fixed workload passes in the Report")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              // Violations are listed first: with none left, any three of the four.
              assertThat(outcomes(enforce)).doesNotContainValue("fail").hasSize(6);
              assertThat(report(enforce).getSummary()).isEqualTo(new ReportSummary(6, 0, 0, 0, 2));
            });

    restartedOperatorFindsItsReportsUnchanged(enforce, audit);

    client.resources(RuntimePolicy.class).inNamespace(audit).withName("p").delete();
    await("the deleted policy's Report is collected with it")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(report(audit)).isNull());
    assertThat(report(enforce)).isNotNull();
  }

  /** Reconciles keep coming (a resync every two seconds) and find nothing to write. */
  private static void quietThroughResyncs(String... namespaces) {
    await("the Reports settle")
        .atMost(Duration.ofSeconds(30))
        .until(() -> counter("unchanged") >= 2 * namespaces.length);
    Map<String, String> versions = versions(namespaces);
    double written = counter("written");
    double unchanged = counter("unchanged");
    await("several resyncs reconcile every policy")
        .atMost(Duration.ofSeconds(30))
        .until(() -> counter("unchanged") >= unchanged + 3 * namespaces.length);
    assertThat(counter("written")).isEqualTo(written);
    assertThat(versions(namespaces)).isEqualTo(versions);
  }

  private static void restartedOperatorFindsItsReportsUnchanged(String... namespaces)
      throws Exception {
    Map<String, String> versions = versions(namespaces);
    operator.close();
    operator = InProcessOperator.start(client, ENV);
    await("the new operator reconciles every policy")
        .atMost(Duration.ofSeconds(30))
        .until(() -> counter("unchanged") >= 2 * namespaces.length);
    assertThat(counter("written")).isZero();
    assertThat(versions(namespaces)).isEqualTo(versions);
  }

  private static void create(String ns, io.runtimepolicy.operator.TestDeployments workload) {
    Deployment d = workload.governed().annotation(Annotations.POLICY, "p").build();
    client.apps().deployments().inNamespace(ns).resource(d).create();
  }

  private static void installReportCrd() {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            ReportsIT.class.getResourceAsStream(
                "/META-INF/openreports/reports.openreports.io-v1.yml"),
            CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
  }

  private static RuntimePolicy policy(String ns) {
    return client.resources(RuntimePolicy.class).inNamespace(ns).withName("p").get();
  }

  private static Report report(String ns) {
    return client.resources(Report.class).inNamespace(ns).withName("p").get();
  }

  /** {@code workload/rule} to result, from the Report in {@code ns}. */
  private static Map<String, String> outcomes(String ns) {
    Map<String, String> outcomes = new TreeMap<>();
    report(ns)
        .getResults()
        .forEach(r -> outcomes.put(r.resources().get(0).getName() + "/" + r.rule(), r.result()));
    return outcomes;
  }

  private static Map<String, String> versions(String... namespaces) {
    Map<String, String> versions = new TreeMap<>();
    for (String ns : namespaces) {
      versions.put(ns, report(ns).getMetadata().getResourceVersion());
    }
    return versions;
  }

  private static double counter(String name) {
    return PromText.scrape(operator.healthPort()).sum("runtimepolicy_reports_" + name + "_total");
  }

  private static List<String> lines(String containing) {
    return logs.messages().stream().filter(m -> m.contains(containing)).toList();
  }
}
