package io.runtimepolicy.operator.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.runtimepolicy.operator.check.WorkloadReport.Change;
import io.runtimepolicy.operator.config.OperatorConfig;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.reconciler.PolicyCache;
import io.runtimepolicy.operator.webhook.WorkloadAdmission;
import io.runtimepolicy.operator.webhook.WorkloadReviewer.Decision;
import io.runtimepolicy.operator.webhook.WorkloadReviewer.Subject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the check reports is what the admission webhook answers to the CREATE of the same object:
 * its changes are the patch's env edits, its findings the warnings, under the chart's defaults.
 */
class SameEngineTest {

  @Test
  void changesAndFindingsAreTheWebhooksPatchAndWarnings() throws Exception {
    String stream =
        Manifests.stream(
            Manifests.DEPLOYMENT,
            Manifests.STATEFUL_SET,
            Manifests.DAEMON_SET,
            Manifests.CRON_JOB,
            Manifests.JOB,
            Manifests.UNGOVERNED);
    Source source = new Source("all.yaml", null, stream);
    var defaults = OperatorConfig.fromEnv(Map.of()).defaultPolicy();
    ManifestCheck check = new ManifestCheck(CheckPolicies.governance(List.of(), Map.of()));
    WorkloadAdmission webhook =
        new WorkloadAdmission(new Governance(PolicyCache.withoutPolicies(), defaults, ns -> true));

    List<Manifest> manifests = YamlDocuments.parse(source).workloads();
    assertThat(manifests).hasSize(6);
    for (Manifest manifest : manifests) {
      WorkloadReport report = check.check(manifest);
      Decision decision =
          webhook.review(
              new Subject(
                  manifest.kind(),
                  manifest.workload(),
                  manifest.workload().getMetadata().getNamespace(),
                  "CREATE"));

      List<String> patched =
          decision.patch() == null
              ? List.of()
              : decision.patch().env().stream()
                  .map(e -> e.container() + "/" + e.variable() + "=" + e.value())
                  .toList();
      assertThat(report.changes().stream().map(SameEngineTest::edit).toList())
          .as(report.title())
          .isEqualTo(patched);
      assertThat(report.findings().stream().map(Finding::message).toList())
          .as(report.title())
          .isEqualTo(decision.warnings());
    }
  }

  private static String edit(Change change) {
    return change.container() + "/" + change.variable() + "=" + change.to();
  }
}
