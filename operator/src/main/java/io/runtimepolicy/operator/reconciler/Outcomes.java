package io.runtimepolicy.operator.reconciler;

import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.ContainerEvaluation;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.JavaToolOptions;
import io.runtimepolicy.operator.policy.ManagedEnv;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.policy.WorkloadEvaluation;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import io.runtimepolicy.operator.workload.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Maps the engine's evaluation to what the status and Events say. */
final class Outcomes {

  private Outcomes() {}

  static WorkloadOutcome of(WorkloadKind<?> kind, String name, WorkloadEvaluation evaluation) {
    boolean flagsMatch =
        !evaluation.needsChange()
            && evaluation.containers().stream().anyMatch(c -> c.desiredValue() != null);
    return new WorkloadOutcome(
        kind.kind(),
        name,
        evaluation.state(),
        flagsMatch,
        containers(evaluation),
        messages(evaluation.findings()));
  }

  /** The evaluation, in {@code state}, with one more finding. */
  static WorkloadOutcome withFinding(
      WorkloadKind<?> kind,
      String name,
      WorkloadEvaluation evaluation,
      WorkloadState state,
      Finding finding) {
    List<String> findings = new ArrayList<>(messages(evaluation.findings()));
    findings.add(finding.message());
    return new WorkloadOutcome(
        kind.kind(), name, state, false, containers(evaluation), List.copyOf(findings));
  }

  static List<ContainerResult> containers(WorkloadEvaluation evaluation) {
    return evaluation.containers().stream().map(Outcomes::container).toList();
  }

  static List<String> messages(List<Finding> findings) {
    return findings.stream().map(Finding::message).distinct().toList();
  }

  /**
   * For example "container app: -XX:ActiveProcessorCount=2 in JAVA_TOOL_OPTIONS", or "container
   * app: JAVA_TOOL_OPTIONS given back as the user wrote it"; one clause per env edit.
   */
  static String describeChange(TuningPlan plan) {
    return plan.env().stream()
        .map(
            edit -> {
              String prefix = "container " + edit.container() + ": ";
              boolean sets =
                  plan.evaluation() != null
                      && plan.evaluation().containers().stream()
                          .anyMatch(
                              c ->
                                  c.name().equals(edit.container())
                                      && edit.value() != null
                                      && edit.value().equals(c.desiredValue()));
              if (sets) {
                return prefix + managedFlags(edit.value()) + " in " + edit.variable();
              }
              return prefix
                  + edit.variable()
                  + (edit.value() == null ? " removed" : " given back as the user wrote it");
            })
        .collect(Collectors.joining("; "));
  }

  /** For example "container app: -XX:ActiveProcessorCount=2 in JAVA_TOOL_OPTIONS". */
  static String describeManaged(ManagedEnv record) {
    List<String> clauses = new ArrayList<>();
    record
        .containers()
        .forEach(
            (container, vars) ->
                vars.forEach(
                    (variable, entry) ->
                        clauses.add(
                            "container "
                                + container
                                + ": "
                                + managedFlags(entry.set())
                                + " in "
                                + variable)));
    return String.join("; ", clauses);
  }

  private static String managedFlags(String value) {
    return JavaToolOptions.managedFlags(value).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  private static ContainerResult container(ContainerEvaluation c) {
    ContainerResult result = new ContainerResult();
    result.setName(c.name());
    result.setCpu(c.cpu());
    result.setCpuSource(c.cpuOrigin());
    result.setActiveProcessorCount(c.activeProcessorCount());
    result.setLivenessTimeoutSeconds(c.livenessTimeoutSeconds());
    result.setAppReadTimeout(c.appReadTimeout());
    return result;
  }
}
