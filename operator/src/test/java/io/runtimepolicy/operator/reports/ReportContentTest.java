package io.runtimepolicy.operator.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportContentTest {

  private static final Finding TOO_LONG =
      Finding.violation(
          Reasons.LIVENESS_TIMEOUT_TOO_LONG,
          "app",
          "liveness probe timeoutSeconds 10 is not below the app read timeout 5s");
  private static final Finding NO_CPU =
      Finding.notice(Reasons.CPU_QUANTITY_MISSING, "app", "no CPU limit or request");

  @Test
  void oneResultPerWorkloadAndRuleWithItsResource() {
    List<WorkloadOutcome> outcomes =
        List.of(
            outcome("Deployment", "api", WorkloadState.Tuned, WorkloadState.Tuned, true),
            outcome(
                "CronJob", "nightly", WorkloadState.Violation, WorkloadState.Tuned, true, TOO_LONG),
            outcome("StatefulSet", "db", WorkloadState.Pending, WorkloadState.Pending, false),
            outcome("Job", "once", WorkloadState.Skipped, WorkloadState.Skipped, false, NO_CPU));

    Report report = ReportContent.of("default", "team-a", outcomes, 10);

    assertThat(report.getSource()).isEqualTo("runtime-policy");
    assertThat(report.getMetadata().getName()).isEqualTo("default");
    assertThat(report.getMetadata().getNamespace()).isEqualTo("team-a");
    // Listed as the status lists them: violations first, then pending, skipped, tuned.
    assertThat(report.getResults())
        .extracting(r -> r.resources().get(0).getName() + " " + r.rule() + " " + r.result())
        .containsExactly(
            "nightly runtime-tuning pass",
            "nightly probe-timing fail",
            "db runtime-tuning warn",
            "db probe-timing skip",
            "once runtime-tuning skip",
            "once probe-timing skip",
            "api runtime-tuning pass",
            "api probe-timing pass");
    ReportResult failing = report.getResults().get(1);
    assertThat(failing.policy()).isEqualTo("default");
    assertThat(failing.source()).isEqualTo("runtime-policy");
    assertThat(failing.message()).isEqualTo(TOO_LONG.message());
    assertThat(failing.properties()).containsEntry("reasons", "LivenessTimeoutTooLong");
    assertThat(failing.resources())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiVersion()).isEqualTo("batch/v1");
              assertThat(r.getKind()).isEqualTo("CronJob");
              assertThat(r.getNamespace()).isEqualTo("team-a");
              assertThat(r.getName()).isEqualTo("nightly");
            });
    assertThat(report.getResults().get(4).message()).isEqualTo(NO_CPU.message());
    assertThat(report.getResults().get(6).message())
        .isEqualTo("every managed value is what the policy computes");
    assertThat(report.getResults().get(6).properties()).isNull();
    assertThat(report.getResults().get(3).message())
        .isEqualTo("no governed container has a liveness probe");
    assertThat(report.getSummary()).isEqualTo(new ReportSummary(3, 1, 1, 0, 3));
  }

  @Test
  void theResultsAreCappedLikeTheStatusAndTheSummaryCountsEveryWorkload() {
    List<WorkloadOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      outcomes.add(
          outcome("Deployment", "w" + i, WorkloadState.Tuned, WorkloadState.Tuned, i % 2 == 0));
    }
    outcomes.add(
        outcome("Deployment", "bad", WorkloadState.Violation, WorkloadState.Tuned, true, TOO_LONG));

    Report report = ReportContent.of("p", "ns", outcomes, 3);

    assertThat(report.getResults()).hasSize(6);
    assertThat(report.getResults().get(1).result()).isEqualTo("fail");
    // 251 workloads, two rules each: 251 + 125 probes pass, 125 skip, 1 fails.
    assertThat(report.getSummary()).isEqualTo(new ReportSummary(251 + 125, 1, 0, 0, 125));
  }

  @Test
  void noWorkloadIsAnEmptyReport() {
    Report report = ReportContent.of("p", "ns", List.of(), 10);
    assertThat(report.getResults()).isEmpty();
    assertThat(report.getSummary()).isEqualTo(new ReportSummary(0, 0, 0, 0, 0));
  }

  @Test
  void anErrorIsTheTuningRulesAndTheProbeRuleStillStands() {
    WorkloadOutcome error =
        outcome(
            "Deployment",
            "d",
            WorkloadState.Error,
            WorkloadState.Error,
            true,
            Finding.notice(Reasons.WRITE_REFUSED, null, "refused"));
    Report report = ReportContent.of("p", "ns", List.of(error), 10);
    assertThat(report.getResults())
        .extracting(ReportResult::result)
        .containsExactly("error", "pass");
    assertThat(report.getResults().get(0).message()).isEqualTo("refused");
  }

  @Test
  void theSameOutcomesGiveEqualContent() {
    List<WorkloadOutcome> outcomes =
        List.of(outcome("Job", "j", WorkloadState.Skipped, WorkloadState.Skipped, false));
    assertThat(ReportContent.of("p", "ns", outcomes, 10))
        .usingRecursiveComparison()
        .isEqualTo(ReportContent.of("p", "ns", outcomes, 10));
  }

  private static WorkloadOutcome outcome(
      String kind,
      String name,
      WorkloadState state,
      WorkloadState tuning,
      boolean probed,
      Finding... findings) {
    return new WorkloadOutcome(
        kind, name, state, false, List.of(), List.of(findings), null, tuning, probed);
  }
}
