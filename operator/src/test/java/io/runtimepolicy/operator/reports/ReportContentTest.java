package io.runtimepolicy.operator.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportContentTest {

  @ParameterizedTest
  @CsvSource({"Tuned,pass", "Violation,fail", "Pending,warn", "Skipped,skip", "Error,error"})
  void eachStateMapsToItsOutcome(WorkloadState state, String outcome) {
    assertThat(ReportContent.outcome(state)).isEqualTo(outcome);
  }

  @Test
  void everyStateHasAnOutcome() {
    for (WorkloadState state : WorkloadState.values()) {
      assertThat(ReportContent.outcome(state)).isIn("pass", "fail", "warn", "skip", "error");
    }
  }

  @Test
  void oneResultPerListedWorkloadWithItsResourceAndASummary() {
    RuntimePolicyStatus status = new RuntimePolicyStatus();
    status.setResults(
        new ArrayList<>(
            List.of(
                workload("Deployment", "api", WorkloadState.Tuned),
                workload("CronJob", "nightly", WorkloadState.Violation, "probe too short"),
                workload("StatefulSet", "db", WorkloadState.Pending))));

    Report report = ReportContent.of("default", "team-a", status);

    assertThat(report.getSource()).isEqualTo("runtime-policy");
    assertThat(report.getMetadata().getName()).isEqualTo("default");
    assertThat(report.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(report.getResults())
        .extracting(ReportResult::result)
        .containsExactly("pass", "fail", "warn");
    ReportResult failing = report.getResults().get(1);
    assertThat(failing.policy()).isEqualTo("default");
    assertThat(failing.message()).isEqualTo("probe too short");
    assertThat(failing.resources())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiVersion()).isEqualTo("batch/v1");
              assertThat(r.getKind()).isEqualTo("CronJob");
              assertThat(r.getNamespace()).isEqualTo("team-a");
              assertThat(r.getName()).isEqualTo("nightly");
            });
    assertThat(report.getSummary()).isEqualTo(new ReportSummary(1, 1, 1, 0, 0));
  }

  @Test
  void noStatusIsAnEmptyReport() {
    Report report = ReportContent.of("p", "ns", null);
    assertThat(report.getResults()).isEmpty();
    assertThat(report.getSummary()).isEqualTo(new ReportSummary(0, 0, 0, 0, 0));
  }

  @Test
  void theSameStatusGivesEqualContent() {
    RuntimePolicyStatus status = new RuntimePolicyStatus();
    status.setResults(new ArrayList<>(List.of(workload("Job", "j", WorkloadState.Skipped))));
    assertThat(ReportContent.of("p", "ns", status))
        .usingRecursiveComparison()
        .isEqualTo(ReportContent.of("p", "ns", status));
  }

  private static WorkloadResult workload(
      String kind, String name, WorkloadState state, String... findings) {
    WorkloadResult result = new WorkloadResult();
    result.setKind(kind);
    result.setName(name);
    result.setState(state);
    result.setFindings(new ArrayList<>(List.of(findings)));
    return result;
  }
}
