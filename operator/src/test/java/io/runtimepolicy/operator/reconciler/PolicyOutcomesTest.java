package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.reconciler.WorkloadChanges.Changed;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyOutcomesTest {

  private static final Changed API = new Changed("Deployment", "api");
  private static final Changed WEB = new Changed("Deployment", "web");

  private final PolicyOutcomes outcomes = new PolicyOutcomes("p1", PolicySettings.defaults());

  @Test
  void holdsOnlyForThePolicyAndSettingsItWasComputedWith() {
    RuntimePolicySpec floor = new RuntimePolicySpec();
    floor.getJava().setRounding(Rounding.Floor);

    assertThat(outcomes.computedFor("p1", PolicySettings.defaults())).isTrue();
    assertThat(outcomes.computedFor("p2", PolicySettings.defaults())).isFalse();
    assertThat(outcomes.computedFor("p1", PolicySettings.from(floor))).isFalse();
  }

  @Test
  void aNameThatNowHoldsAnotherObjectGivesTheOldUidToForget() {
    assertThat(outcomes.put(API, "u1", outcome("api", WorkloadState.Tuned))).isEmpty();
    assertThat(outcomes.put(API, "u1", outcome("api", WorkloadState.Tuned))).isEmpty();

    assertThat(outcomes.put(API, "u2", outcome("api", WorkloadState.Tuned))).contains("u1");
    assertThat(outcomes.remove(API)).contains("u2");
    assertThat(outcomes.remove(API)).isEmpty();
  }

  @Test
  void failedWorkloadsAreTheOnesToLookAtAgain() {
    outcomes.put(API, "u1", outcome("api", WorkloadState.Error));
    outcomes.put(WEB, "u2", outcome("web", WorkloadState.Tuned));

    assertThat(outcomes.failed()).containsExactly(API);
    assertThat(outcomes.all()).hasSize(2);
  }

  private static WorkloadOutcome outcome(String name, WorkloadState state) {
    return new WorkloadOutcome("Deployment", name, state, true, List.of(), List.of());
  }
}
