package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusWritesTest {

  private static final ResourceID ID = new ResourceID("default", "shop");
  private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

  private final StatusWrites writes = new StatusWrites();

  @Test
  void untilASecondAfterAWriteTheNextNeedNotBeComputed() {
    assertThat(writes.wait(ID, T0)).isEmpty();
    writes.decide(ID, "1", status(1), status(2), T0);

    assertThat(writes.wait(ID, T0.plusMillis(300))).contains(Duration.ofMillis(700));
    assertThat(writes.wait(ID, T0.plusSeconds(1))).isEmpty();
  }

  @Test
  void anUnchangedStatusIsNotWritten() {
    assertThat(writes.decide(ID, "1", status(3), status(3), T0).write()).isFalse();
  }

  @Test
  void aStatusJustWrittenIsNotWrittenAgainWhileTheCacheLagsBehind() {
    assertThat(writes.decide(ID, "1", status(1), status(2), T0).write()).isTrue();

    assertThat(writes.decide(ID, "1", status(1), status(2), T0.plusSeconds(5)))
        .isEqualTo(new StatusWrites.Decision(false, Optional.empty()));
  }

  @Test
  void onceTheCacheMovesOnItIsTheCacheThatCounts() {
    writes.decide(ID, "1", status(1), status(2), T0);

    // Someone else set the status back at version 7: the operator restores its own.
    assertThat(writes.decide(ID, "7", status(1), status(2), T0.plusSeconds(5)).write()).isTrue();
  }

  @Test
  void afterAFailureNothingIsAssumed() {
    writes.decide(ID, "1", status(1), status(2), T0);

    writes.forget(ID);

    assertThat(writes.decide(ID, "1", status(1), status(2), T0).write()).isTrue();
  }

  @Test
  void aBurstWritesAtMostOncePerIntervalAndTheLastStatusFollowsWhenItIsOver() {
    assertThat(writes.decide(ID, "1", status(0), status(1), T0).write()).isTrue();

    StatusWrites.Decision held = writes.decide(ID, "2", status(1), status(40), T0.plusMillis(300));
    assertThat(held)
        .isEqualTo(new StatusWrites.Decision(false, Optional.of(Duration.ofMillis(700))));
    assertThat(writes.decide(ID, "2", status(1), status(90), T0.plusMillis(999)).write()).isFalse();
    assertThat(writes.decide(ID, "2", status(1), status(90), T0.plusSeconds(1)).write()).isTrue();
  }

  @Test
  void eachPolicyHasItsOwnInterval() {
    writes.decide(ID, "1", status(0), status(1), T0);

    assertThat(
            writes
                .decide(new ResourceID("default", "other"), "1", status(0), status(1), T0)
                .write())
        .isTrue();
  }

  private static RuntimePolicyStatus status(int targets) {
    RuntimePolicyStatus status = new RuntimePolicyStatus();
    status.setTargets(targets);
    return status;
  }
}
