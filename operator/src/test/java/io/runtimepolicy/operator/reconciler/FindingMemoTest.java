package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingMemoTest {

  private static final PolicySettings DEFAULTS = PolicySettings.defaults();
  private static final WorkloadOutcome TUNED =
      new WorkloadOutcome("Deployment", "api", WorkloadState.Tuned, true, List.of(), List.of());

  @Test
  void anUnchangedWorkloadUnderUnchangedSettingsReusesItsOutcomeAndKeepsWhatWasReported() {
    FindingMemo memo = new FindingMemo();
    assertThat(memo.newSince("u1", List.of("Normal|Tuned|x"))).hasSize(1);
    memo.settled("u1", "7", DEFAULTS, TUNED);
    memo.commit();

    assertThat(memo.reuse("u1", "7", PolicySettings.defaults())).contains(TUNED);
    memo.commit();

    // Still remembered as reported: evaluating it again later finds nothing new to tell.
    assertThat(memo.newSince("u1", List.of("Normal|Tuned|x"))).isEmpty();
  }

  @Test
  void aNewResourceVersionOrNewSettingsEvaluateAgain() {
    FindingMemo memo = new FindingMemo();
    memo.settled("u1", "7", DEFAULTS, TUNED);
    memo.commit();
    RuntimePolicySpec floor = new RuntimePolicySpec();
    floor.getJava().setRounding(Rounding.Floor);

    assertThat(memo.reuse("u1", "8", DEFAULTS)).isEmpty();
    assertThat(memo.reuse("u1", "7", PolicySettings.from(floor))).isEmpty();
    assertThat(memo.reuse("u2", "7", DEFAULTS)).isEmpty();
  }

  @Test
  void aWorkloadNotSeenInAReconcileIsForgotten() {
    FindingMemo memo = new FindingMemo();
    memo.settled("u1", "7", DEFAULTS, TUNED);
    memo.commit();
    memo.commit();

    assertThat(memo.reuse("u1", "7", DEFAULTS)).isEmpty();
  }

  @Test
  void aReconcileThatLooksAtSomeWorkloadsKeepsTheOthersAndForgetsTheGone() {
    FindingMemo memo = new FindingMemo();
    memo.newSince("u1", List.of("Normal|Tuned|x"));
    memo.settled("u1", "7", DEFAULTS, TUNED);
    memo.settled("u2", "3", DEFAULTS, TUNED);
    memo.settled("u3", "5", DEFAULTS, TUNED);
    memo.commit();

    // u2 was looked at and its write failed (nothing settled); u3 was deleted; u1 not looked at.
    memo.commitSome(java.util.Set.of("u2"), java.util.Set.of("u3"));

    assertThat(memo.reuse("u1", "7", DEFAULTS)).contains(TUNED);
    assertThat(memo.newSince("u1", List.of("Normal|Tuned|x"))).isEmpty();
    assertThat(memo.reuse("u2", "3", DEFAULTS)).isEmpty();
    assertThat(memo.reuse("u3", "5", DEFAULTS)).isEmpty();
  }
}
