package io.runtimepolicy.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.runtimepolicy.api.ConditionTypes;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.Reasons;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns outcomes into a status: exact counts, results capped at {@code limit} with violations
 * first, and conditions whose lastTransitionTime moves only when their status flips, so that an
 * unchanged world computes an identical status and costs no write.
 */
public final class RuntimePolicyStatusCalculator {

  private static final Map<WorkloadState, Integer> ORDER =
      Map.of(
          WorkloadState.Violation, 0,
          WorkloadState.Error, 1,
          WorkloadState.Pending, 2,
          WorkloadState.Skipped, 3,
          WorkloadState.Tuned, 4);

  // A condition's message is for a person: the first few problems say what to fix.
  private static final int MAX_PROBLEMS_SHOWN = 5;

  private RuntimePolicyStatusCalculator() {}

  public static RuntimePolicyStatus compute(
      RuntimePolicyStatus previous,
      long generation,
      List<WorkloadOutcome> outcomes,
      int limit,
      Instant now) {
    return compute(previous, generation, outcomes, limit, now, null);
  }

  /**
   * {@code notReady}: why the policy cannot do what its spec asks (Inject without the Pod webhook),
   * as Ready=False; null when it can.
   */
  public static RuntimePolicyStatus compute(
      RuntimePolicyStatus previous,
      long generation,
      List<WorkloadOutcome> outcomes,
      int limit,
      Instant now,
      String notReady) {
    return compute(previous, generation, outcomes, limit, now, notReady, List.of());
  }

  /**
   * {@code problems}: what of the spec the operator could not use ({@code
   * PolicySettings.problems}), as Accepted=False with each problem in the message; Accepted=True
   * when there are none.
   */
  public static RuntimePolicyStatus compute(
      RuntimePolicyStatus previous,
      long generation,
      List<WorkloadOutcome> outcomes,
      int limit,
      Instant now,
      String notReady,
      List<String> problems) {
    List<WorkloadOutcome> sorted = listed(outcomes);
    int violations =
        (int) outcomes.stream().filter(o -> o.state() == WorkloadState.Violation).count();
    int errors = (int) outcomes.stream().filter(o -> o.state() == WorkloadState.Error).count();

    RuntimePolicyStatus status = new RuntimePolicyStatus();
    status.setObservedGeneration(generation);
    status.setTargets(outcomes.size());
    status.setTuned((int) outcomes.stream().filter(WorkloadOutcome::flagsMatch).count());
    status.setViolations(violations);
    status.setResults(
        sorted.stream().limit(limit).map(RuntimePolicyStatusCalculator::result).toList());
    status.setOmittedResults(sorted.size() > limit ? sorted.size() - limit : null);
    List<Condition> before = previous == null ? List.of() : previous.getConditions();
    status.setConditions(
        List.of(
            notReady == null
                ? condition(
                    before,
                    ConditionTypes.READY,
                    "True",
                    ConditionTypes.REASON_RECONCILED,
                    readyMessage(status),
                    generation,
                    now)
                : condition(
                    before,
                    ConditionTypes.READY,
                    "False",
                    Reasons.INJECT_NOT_ENABLED,
                    notReady,
                    generation,
                    now),
            degraded(before, violations, errors, generation, now),
            accepted(before, problems, generation, now)));
    return status;
  }

  /**
   * The outcomes in the order the status lists them: violations, errors, pending, skipped, tuned,
   * then by kind and name. The Report lists its workloads in the same order under the same cap.
   */
  public static List<WorkloadOutcome> listed(List<WorkloadOutcome> outcomes) {
    List<WorkloadOutcome> sorted = new ArrayList<>(outcomes);
    sorted.sort(
        Comparator.comparing((WorkloadOutcome o) -> ORDER.get(o.state()))
            .thenComparing(WorkloadOutcome::kind)
            .thenComparing(WorkloadOutcome::name));
    return sorted;
  }

  /** Ready=False with a short, stable message: the details go to the operator's log. */
  public static RuntimePolicyStatus error(
      RuntimePolicyStatus previous, long generation, Instant now) {
    RuntimePolicyStatus status = previous == null ? new RuntimePolicyStatus() : previous;
    List<Condition> before = status.getConditions() == null ? List.of() : status.getConditions();
    Condition ready =
        condition(
            before,
            ConditionTypes.READY,
            "False",
            ConditionTypes.REASON_RECONCILE_ERROR,
            "The operator could not reconcile this policy; see its log",
            generation,
            now);
    List<Condition> conditions =
        new ArrayList<>(
            before.stream().filter(c -> !ConditionTypes.READY.equals(c.getType())).toList());
    conditions.add(0, ready);
    status.setConditions(conditions);
    return status;
  }

  // "Workloads", not a kind: the counts cover every governed kind, and in Inject mode pod owners
  // of any kind (a bare Pod included).
  private static String readyMessage(RuntimePolicyStatus s) {
    return s.getTuned()
        + " of "
        + s.getTargets()
        + " workloads tuned, "
        + s.getViolations()
        + " with violations";
  }

  private static Condition accepted(
      List<Condition> before, List<String> problems, long generation, Instant now) {
    if (problems.isEmpty()) {
      return condition(
          before,
          ConditionTypes.ACCEPTED,
          "True",
          ConditionTypes.REASON_VALID,
          "Every part of the spec is in use",
          generation,
          now);
    }
    String shown =
        String.join("; ", problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_SHOWN)));
    String more =
        problems.size() > MAX_PROBLEMS_SHOWN
            ? "; and " + (problems.size() - MAX_PROBLEMS_SHOWN) + " more"
            : "";
    return condition(
        before,
        ConditionTypes.ACCEPTED,
        "False",
        ConditionTypes.REASON_INVALID_SPEC,
        "Not in use: " + shown + more,
        generation,
        now);
  }

  private static Condition degraded(
      List<Condition> before, int violations, int errors, long generation, Instant now) {
    if (violations == 0 && errors == 0) {
      return condition(
          before,
          ConditionTypes.DEGRADED,
          "False",
          ConditionTypes.REASON_NO_VIOLATIONS,
          "No governed workload breaks a rule",
          generation,
          now);
    }
    return condition(
        before,
        ConditionTypes.DEGRADED,
        "True",
        ConditionTypes.REASON_VIOLATIONS,
        (violations == 1 ? "1 workload breaks" : violations + " workloads break")
            + " a rule, "
            + errors
            + " could not be handled",
        generation,
        now);
  }

  private static Condition condition(
      List<Condition> before,
      String type,
      String status,
      String reason,
      String message,
      long generation,
      Instant now) {
    String transition =
        before.stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .findFirst()
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }

  private static WorkloadResult result(WorkloadOutcome outcome) {
    WorkloadResult result = new WorkloadResult();
    result.setKind(outcome.kind());
    result.setName(outcome.name());
    result.setState(outcome.state());
    result.setContainers(List.copyOf(outcome.containers()));
    result.setFindings(outcome.messages());
    result.setPods(outcome.pods());
    return result;
  }
}
