package io.runtimepolicy.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RuntimePolicyStatusCalculatorTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T01:00:00Z");

  @Test
  void countsAreExactAndResultsAreCappedWithViolationsFirst() {
    List<WorkloadOutcome> outcomes = new ArrayList<>();
    IntStream.range(0, 60)
        .forEach(i -> outcomes.add(outcome("tuned-" + i, WorkloadState.Tuned, true)));
    outcomes.add(outcome("zz-violating", WorkloadState.Violation, true));
    outcomes.add(outcome("skipped", WorkloadState.Skipped, false));

    RuntimePolicyStatus status = RuntimePolicyStatusCalculator.compute(null, 3, outcomes, 50, T0);

    assertThat(status.getTargets()).isEqualTo(62);
    assertThat(status.getTuned()).isEqualTo(61);
    assertThat(status.getViolations()).isEqualTo(1);
    assertThat(status.getResults()).hasSize(50);
    assertThat(status.getOmittedResults()).isEqualTo(12);
    assertThat(status.getResults())
        .extracting(WorkloadResult::getName)
        .startsWith("zz-violating", "skipped");
    assertThat(status.getObservedGeneration()).isEqualTo(3);
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenAConditionFlips() {
    RuntimePolicyStatus first =
        RuntimePolicyStatusCalculator.compute(
            null, 1, List.of(outcome("a", WorkloadState.Tuned, true)), 50, T0);
    RuntimePolicyStatus same =
        RuntimePolicyStatusCalculator.compute(
            first,
            1,
            List.of(
                outcome("a", WorkloadState.Tuned, true), outcome("b", WorkloadState.Tuned, true)),
            50,
            T1);
    RuntimePolicyStatus flipped =
        RuntimePolicyStatusCalculator.compute(
            same, 1, List.of(outcome("a", WorkloadState.Violation, true)), 50, T1);

    assertThat(condition(same, "Ready").getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(condition(same, "Degraded").getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(condition(flipped, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(flipped, "Degraded").getLastTransitionTime()).isEqualTo(T1.toString());
    assertThat(condition(flipped, "Ready").getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(condition(flipped, "Ready").getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void aSpecThatIsUsedWholeIsAccepted() {
    RuntimePolicyStatus status =
        RuntimePolicyStatusCalculator.compute(
            null, 1, List.of(outcome("a", WorkloadState.Tuned, true)), 50, T0);

    assertThat(condition(status, "Accepted").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Accepted").getReason()).isEqualTo("Valid");
  }

  @Test
  void problemsOfTheSpecAreAcceptedFalseWithTheFirstFiveInTheMessage() {
    List<String> problems =
        IntStream.rangeClosed(1, 7).mapToObj(i -> "custom[" + i + "]: bad").toList();

    RuntimePolicyStatus status =
        RuntimePolicyStatusCalculator.compute(
            null, 4, List.of(outcome("a", WorkloadState.Tuned, true)), 50, T0, null, problems);

    Condition accepted = condition(status, "Accepted");
    assertThat(accepted.getStatus()).isEqualTo("False");
    assertThat(accepted.getReason()).isEqualTo("InvalidSpec");
    assertThat(accepted.getObservedGeneration()).isEqualTo(4);
    assertThat(accepted.getMessage())
        .isEqualTo(
            "Not in use: custom[1]: bad; custom[2]: bad; custom[3]: bad; custom[4]: bad;"
                + " custom[5]: bad; and 2 more");
    assertThat(condition(status, "Ready").getStatus())
        .as("the rest of the policy still works")
        .isEqualTo("True");
  }

  @Test
  void anUnchangedWorldComputesAnIdenticalStatus() {
    List<WorkloadOutcome> outcomes = List.of(outcome("a", WorkloadState.Tuned, true));
    RuntimePolicyStatus first = RuntimePolicyStatusCalculator.compute(null, 1, outcomes, 50, T0);

    RuntimePolicyStatus again = RuntimePolicyStatusCalculator.compute(first, 1, outcomes, 50, T1);

    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(again))
        .isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asJson(first));
  }

  @Test
  void errorSetsReadyFalseAndKeepsTheCounts() {
    RuntimePolicyStatus ok =
        RuntimePolicyStatusCalculator.compute(
            null, 1, List.of(outcome("a", WorkloadState.Tuned, true)), 50, T0);

    RuntimePolicyStatus error = RuntimePolicyStatusCalculator.error(ok, 2, T1);

    assertThat(condition(error, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(error, "Ready").getReason()).isEqualTo("ReconcileError");
    assertThat(condition(error, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
    assertThat(error.getTargets()).isEqualTo(1);
  }

  @Test
  void messagesCountWorkloadsOfEveryKindNeverDeploymentsOnly() {
    List<WorkloadOutcome> outcomes =
        List.of(
            outcome("Pod", "bare", WorkloadState.Tuned, true),
            outcome("StatefulSet", "kafka", WorkloadState.Violation, true),
            outcome("CronJob", "report", WorkloadState.Violation, false),
            outcome("Deployment", "api", WorkloadState.Error, false));

    RuntimePolicyStatus status = RuntimePolicyStatusCalculator.compute(null, 1, outcomes, 50, T0);

    assertThat(condition(status, "Ready").getMessage())
        .isEqualTo("2 of 4 workloads tuned, 2 with violations");
    assertThat(condition(status, "Degraded").getMessage())
        .isEqualTo("2 workloads break a rule, 1 could not be handled");
  }

  @Test
  void aBarePodUnderInjectIsCountedAsAWorkload() {
    RuntimePolicyStatus status =
        RuntimePolicyStatusCalculator.compute(
            null, 1, List.of(outcome("Pod", "bare", WorkloadState.Tuned, true)), 50, T0);

    assertThat(condition(status, "Ready").getMessage())
        .isEqualTo("1 of 1 workloads tuned, 0 with violations")
        .doesNotContain("Deployment");
    assertThat(condition(status, "Degraded").getMessage())
        .isEqualTo("No governed workload breaks a rule");
  }

  @Test
  void oneViolationReadsInTheSingular() {
    RuntimePolicyStatus status =
        RuntimePolicyStatusCalculator.compute(
            null, 1, List.of(outcome("Job", "once", WorkloadState.Violation, true)), 50, T0);

    assertThat(condition(status, "Degraded").getMessage())
        .isEqualTo("1 workload breaks a rule, 0 could not be handled");
  }

  private static Condition condition(RuntimePolicyStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static WorkloadOutcome outcome(String name, WorkloadState state, boolean flagsMatch) {
    return outcome("Deployment", name, state, flagsMatch);
  }

  private static WorkloadOutcome outcome(
      String kind, String name, WorkloadState state, boolean flagsMatch) {
    return new WorkloadOutcome(kind, name, state, flagsMatch, List.of(), List.of());
  }
}
