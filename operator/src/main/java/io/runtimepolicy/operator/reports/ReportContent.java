package io.runtimepolicy.operator.reports;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Rule;
import io.runtimepolicy.operator.policy.RuleResult;
import io.runtimepolicy.operator.policy.RuleResult.Outcome;
import io.runtimepolicy.operator.status.RuntimePolicyStatusCalculator;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A policy's workloads, read as OpenReports results: one per workload and rule ({@link
 * RuleResult#of}). The results are those of the workloads the status lists, in its order and under
 * its cap, so the Report is bounded as the status is; the summary counts every workload's. No
 * timestamp, so the content only changes when an outcome does.
 */
public final class ReportContent {

  public static final String SOURCE = "runtime-policy";

  private ReportContent() {}

  /** The report of policy {@code policy} in {@code namespace}, listing at most {@code limit}. */
  public static Report of(
      String policy, String namespace, List<WorkloadOutcome> outcomes, int limit) {
    List<WorkloadOutcome> listed = RuntimePolicyStatusCalculator.listed(outcomes);
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (WorkloadOutcome outcome : listed) {
      outcome.rules().forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
    }
    List<ReportResult> results =
        listed.stream()
            .limit(limit)
            .flatMap(w -> w.rules().stream().map(r -> result(policy, namespace, w, r)))
            .toList();
    Report report = new Report();
    report.getMetadata().setName(policy);
    report.getMetadata().setNamespace(namespace);
    report.setSource(SOURCE);
    report.setSummary(
        new ReportSummary(
            counts.getOrDefault(Outcome.Pass, 0),
            counts.getOrDefault(Outcome.Fail, 0),
            counts.getOrDefault(Outcome.Warn, 0),
            counts.getOrDefault(Outcome.Error, 0),
            counts.getOrDefault(Outcome.Skip, 0)));
    report.setResults(results);
    return report;
  }

  private static ReportResult result(
      String policy, String namespace, WorkloadOutcome workload, RuleResult rule) {
    ObjectReference resource =
        new ObjectReferenceBuilder()
            .withApiVersion(apiVersion(workload.kind()))
            .withKind(workload.kind())
            .withNamespace(namespace)
            .withName(workload.name())
            .build();
    List<String> messages = rule.findings().stream().map(Finding::message).distinct().toList();
    String message = messages.isEmpty() ? plain(rule) : String.join("; ", messages);
    Map<String, String> properties =
        rule.findings().isEmpty()
            ? null
            : Map.of(
                "reasons",
                rule.findings().stream()
                    .map(Finding::reason)
                    .distinct()
                    .collect(Collectors.joining(",")));
    return new ReportResult(
        SOURCE,
        policy,
        rule.rule().id(),
        null,
        null,
        null,
        rule.outcome().id(),
        null,
        List.of(resource),
        null,
        message,
        properties);
  }

  /** What a result with no finding says. */
  static String plain(RuleResult rule) {
    if (rule.rule() == Rule.PROBE_TIMING) {
      return rule.outcome() == Outcome.Skip
          ? "no governed container has a liveness probe"
          : "every liveness probe times out below the app read timeout";
    }
    return switch (rule.outcome()) {
      case Pass -> "every managed value is what the policy computes";
      case Warn -> "a managed value differs from what the policy computes";
      case Skip -> "nothing to tune";
      case Fail, Error -> "could not be tuned";
    };
  }

  private static String apiVersion(String kind) {
    return switch (kind == null ? "" : kind) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" -> "apps/v1";
      case "CronJob", "Job" -> "batch/v1";
      case "Pod" -> "v1";
      default -> null;
    };
  }
}
