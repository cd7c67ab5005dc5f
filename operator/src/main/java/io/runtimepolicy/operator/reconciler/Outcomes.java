package io.runtimepolicy.operator.reconciler;

import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.api.v1alpha1.CpuOrigin;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.ContainerEvaluation;
import io.runtimepolicy.operator.policy.EnvChange;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.ManagedEnv;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.policy.WorkloadEvaluation;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import io.runtimepolicy.operator.workload.WorkloadKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Maps the engine's evaluation to what the status and Events say. */
final class Outcomes {

  private static final SharedValues<ResultKey, ContainerResult> RESULTS = new SharedValues<>();

  private Outcomes() {}

  static WorkloadOutcome of(WorkloadKind<?> kind, String name, WorkloadEvaluation evaluation) {
    boolean flagsMatch =
        !evaluation.needsChange()
            && evaluation.containers().stream().anyMatch(ContainerEvaluation::managed);
    return new WorkloadOutcome(
        kind.kind(),
        name,
        evaluation.state(),
        flagsMatch,
        containers(evaluation),
        evaluation.findings(),
        null,
        evaluation.tuningState(),
        evaluation.probed());
  }

  /**
   * The evaluation, in {@code state}, with one more finding. The finding is about the tuning (the
   * webhook, the write, the kind), so {@code state} is the tuning's state too; a probe violation
   * still fails its own rule.
   */
  static WorkloadOutcome withFinding(
      WorkloadKind<?> kind,
      String name,
      WorkloadEvaluation evaluation,
      WorkloadState state,
      Finding finding) {
    List<Finding> findings = new ArrayList<>(evaluation.findings());
    findings.add(finding);
    return new WorkloadOutcome(
        kind.kind(),
        name,
        state,
        false,
        containers(evaluation),
        findings,
        null,
        state,
        evaluation.probed());
  }

  static List<ContainerResult> containers(WorkloadEvaluation evaluation) {
    return evaluation.containers().stream().map(Outcomes::container).toList();
  }

  /**
   * For example "container app: -XX:ActiveProcessorCount=2 in JAVA_TOOL_OPTIONS", "container proxy:
   * GOMAXPROCS=1", or "container app: JAVA_TOOL_OPTIONS given back as the user wrote it"; one
   * clause per env edit, whatever the runtime ({@link EnvChange#describe}).
   */
  static String describeChange(TuningPlan plan) {
    return plan.env().stream()
        .map(
            edit -> {
              String prefix = "container " + edit.container() + ": ";
              Optional<EnvChange> sets =
                  change(plan.evaluation(), edit.container(), edit.variable(), edit.value());
              if (sets.isPresent()) {
                return prefix + sets.get().describe();
              }
              return prefix
                  + edit.variable()
                  + (edit.value() == null ? " removed" : " given back as the user wrote it");
            })
        .collect(Collectors.joining("; "));
  }

  /** For example "container app: -XX:ActiveProcessorCount=2 in JAVA_TOOL_OPTIONS". */
  static String describeManaged(ManagedEnv record, WorkloadEvaluation evaluation) {
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
                                + change(evaluation, container, variable, entry.set())
                                    .map(EnvChange::describe)
                                    .orElse(variable + " set by the operator"))));
    return String.join("; ", clauses);
  }

  /** The change the evaluation makes that gives {@code variable} this {@code value}. */
  private static Optional<EnvChange> change(
      WorkloadEvaluation evaluation, String container, String variable, String value) {
    if (evaluation == null || value == null) {
      return Optional.empty();
    }
    return evaluation.containers().stream()
        .filter(c -> c.name().equals(container) && value.equals(c.desired().get(variable)))
        .findFirst()
        .flatMap(c -> c.change(variable));
  }

  /**
   * Kept per governed workload until its next reconcile, and shared by workloads whose containers
   * came out the same (a result is never changed once made): thousands of workloads repeat the same
   * name, runtime, CPU and values.
   */
  private static ContainerResult container(ContainerEvaluation c) {
    List<String> env = new ArrayList<>();
    c.env()
        .forEach(
            change -> {
              env.add(change.variable());
              env.add(change.managed());
            });
    return RESULTS.share(
        new ResultKey(
            c.name(),
            c.runtime(),
            c.cpu(),
            c.cpuOrigin(),
            c.activeProcessorCount(),
            c.gomaxprocs(),
            c.gomemlimit(),
            env,
            c.livenessTimeoutSeconds(),
            c.appReadTimeout()),
        () -> result(c));
  }

  /** What a container's result is made of, field by field, the variables in their order. */
  private record ResultKey(
      String name,
      String runtime,
      String cpu,
      CpuOrigin cpuSource,
      Integer activeProcessorCount,
      Integer gomaxprocs,
      String gomemlimit,
      List<String> env,
      Integer livenessTimeoutSeconds,
      String appReadTimeout) {}

  private static ContainerResult result(ContainerEvaluation c) {
    ContainerResult result = new ContainerResult();
    result.setName(CompactObjects.shared(c.name()));
    result.setRuntime(CompactObjects.shared(c.runtime()));
    result.setCpu(CompactObjects.shared(c.cpu()));
    result.setCpuSource(c.cpuOrigin());
    result.setActiveProcessorCount(c.activeProcessorCount());
    result.setGomaxprocs(c.gomaxprocs());
    result.setGomemlimit(CompactObjects.shared(c.gomemlimit()));
    if (!c.env().isEmpty()) {
      Map<String, String> env = new LinkedHashMap<>();
      c.env()
          .forEach(
              change ->
                  env.put(
                      CompactObjects.shared(change.variable()),
                      CompactObjects.shared(change.managed())));
      result.setEnv(Collections.unmodifiableMap(env));
    }
    result.setLivenessTimeoutSeconds(c.livenessTimeoutSeconds());
    result.setAppReadTimeout(CompactObjects.shared(c.appReadTimeout()));
    return result;
  }
}
