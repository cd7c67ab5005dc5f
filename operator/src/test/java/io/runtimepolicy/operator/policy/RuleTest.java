package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.RuleResult.Outcome;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which rule each reason is about, and each rule's outcome for a workload. */
class RuleTest {

  @Test
  void ruleIdsAreTheNamesReportsAndCheckUse() {
    assertThat(Arrays.stream(Rule.values()).map(Rule::id))
        .containsExactly("runtime-tuning", "probe-timing");
  }

  @Test
  void everyReasonIsAboutExactlyTheRuleItsNameSays() throws IllegalAccessException {
    List<String> reasons = new ArrayList<>();
    for (Field field : Reasons.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        reasons.add((String) field.get(null));
      }
    }
    assertThat(reasons).hasSizeGreaterThan(20);
    for (String reason : reasons) {
      Rule expected =
          reason.equals("LivenessTimeoutTooLong") || reason.equals("AppReadTimeoutInvalid")
              ? Rule.PROBE_TIMING
              : Rule.RUNTIME_TUNING;
      assertThat(Rule.of(reason)).as(reason).isEqualTo(expected);
      assertThat(Finding.notice(reason, null, "x").rule()).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @CsvSource({"Tuned,Pass", "Violation,Fail", "Pending,Warn", "Skipped,Skip", "Error,Error"})
  void theTuningStateIsTheTuningRulesOutcome(WorkloadState state, Outcome outcome) {
    assertThat(RuleResult.outcome(state)).isEqualTo(outcome);
    assertThat(RuleResult.of(state, false, List.of()).get(0))
        .isEqualTo(new RuleResult(Rule.RUNTIME_TUNING, outcome, List.of()));
  }

  @Test
  void noStateIsAnError() {
    assertThat(RuleResult.outcome(null)).isEqualTo(Outcome.Error);
  }

  @Test
  void outcomeIdsAreOpenReportsResults() {
    assertThat(Arrays.stream(Outcome.values()).map(Outcome::id))
        .containsExactly("pass", "fail", "warn", "skip", "error");
  }

  private static final Finding TOO_LONG =
      Finding.violation(Reasons.LIVENESS_TIMEOUT_TOO_LONG, "app", "liveness probe too long");
  private static final Finding BAD_TIMEOUT =
      Finding.notice(Reasons.APP_READ_TIMEOUT_INVALID, null, "not a duration");
  private static final Finding NO_CPU =
      Finding.notice(Reasons.CPU_QUANTITY_MISSING, "app", "no CPU limit or request");

  @Test
  void aProbeViolationFailsTheProbeRuleOnlyAndTheTuningKeepsItsOwnOutcome() {
    List<RuleResult> rules = RuleResult.of(WorkloadState.Tuned, true, List.of(TOO_LONG, NO_CPU));
    assertThat(rules)
        .containsExactly(
            new RuleResult(Rule.RUNTIME_TUNING, Outcome.Pass, List.of(NO_CPU)),
            new RuleResult(Rule.PROBE_TIMING, Outcome.Fail, List.of(TOO_LONG)));
  }

  @Test
  void withoutALivenessProbeTheProbeRuleDoesNotApply() {
    assertThat(RuleResult.of(WorkloadState.Skipped, false, List.of(NO_CPU)))
        .containsExactly(
            new RuleResult(Rule.RUNTIME_TUNING, Outcome.Skip, List.of(NO_CPU)),
            new RuleResult(Rule.PROBE_TIMING, Outcome.Skip, List.of()));
  }

  @Test
  void aProbeInTimePassesAndNoticesNeverChangeAnOutcome() {
    assertThat(RuleResult.of(WorkloadState.Pending, true, List.of(BAD_TIMEOUT)))
        .containsExactly(
            new RuleResult(Rule.RUNTIME_TUNING, Outcome.Warn, List.of()),
            new RuleResult(Rule.PROBE_TIMING, Outcome.Pass, List.of(BAD_TIMEOUT)));
  }

  @Test
  void aViolationFailsTheProbeRuleEvenWithoutAProbeCounted() {
    assertThat(RuleResult.of(WorkloadState.Error, false, List.of(TOO_LONG)))
        .extracting(RuleResult::outcome)
        .containsExactly(Outcome.Error, Outcome.Fail);
  }
}
