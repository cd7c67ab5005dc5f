package io.runtimepolicy.operator.reports;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.util.List;

/**
 * A RuntimePolicy's status, read as OpenReports results: one per workload the status lists, so the
 * report is bounded exactly as the status is. No timestamp, so the content only changes when the
 * status does.
 */
public final class ReportContent {

  public static final String SOURCE = "runtime-policy";
  static final String RULE = "runtime-tuning";

  private ReportContent() {}

  /** The report's summary and results for a policy in {@code namespace} with {@code status}. */
  public static Report of(String policy, String namespace, RuntimePolicyStatus status) {
    List<WorkloadResult> workloads = status == null ? List.of() : status.getResults();
    List<ReportResult> results = workloads.stream().map(w -> result(policy, namespace, w)).toList();
    Report report = new Report();
    report.getMetadata().setName(policy);
    report.getMetadata().setNamespace(namespace);
    report.setSource(SOURCE);
    report.setSummary(summary(results));
    report.setResults(results);
    return report;
  }

  /**
   * Tuned is {@code pass}, Violation {@code fail}, Pending (Audit would change it) {@code warn},
   * Skipped {@code skip}, Error {@code error}.
   */
  static String outcome(WorkloadState state) {
    if (state == null) {
      return "error";
    }
    return switch (state) {
      case Tuned -> "pass";
      case Violation -> "fail";
      case Pending -> "warn";
      case Skipped -> "skip";
      case Error -> "error";
    };
  }

  private static ReportResult result(String policy, String namespace, WorkloadResult workload) {
    ObjectReference resource =
        new ObjectReferenceBuilder()
            .withApiVersion(apiVersion(workload.getKind()))
            .withKind(workload.getKind())
            .withNamespace(namespace)
            .withName(workload.getName())
            .build();
    String message =
        workload.getFindings().isEmpty()
            ? String.valueOf(workload.getState())
            : String.join("; ", workload.getFindings());
    String outcome = outcome(workload.getState());
    return new ReportResult(
        SOURCE,
        policy,
        RULE,
        null,
        null,
        null,
        outcome,
        null,
        List.of(resource),
        null,
        message,
        null);
  }

  private static String apiVersion(String kind) {
    return switch (kind == null ? "" : kind) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" -> "apps/v1";
      case "CronJob", "Job" -> "batch/v1";
      case "Pod" -> "v1";
      default -> null;
    };
  }

  private static ReportSummary summary(List<ReportResult> results) {
    return new ReportSummary(
        count(results, "pass"),
        count(results, "fail"),
        count(results, "warn"),
        count(results, "error"),
        count(results, "skip"));
  }

  private static int count(List<ReportResult> results, String outcome) {
    return (int) results.stream().filter(r -> outcome.equals(r.result())).count();
  }
}
