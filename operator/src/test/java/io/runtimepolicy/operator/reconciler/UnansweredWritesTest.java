package io.runtimepolicy.operator.reconciler;

import static io.runtimepolicy.operator.reconciler.UnansweredWrites.Permit.PROBE;
import static io.runtimepolicy.operator.reconciler.UnansweredWrites.Permit.WAIT;
import static io.runtimepolicy.operator.reconciler.UnansweredWrites.Permit.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnansweredWritesTest {

  private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
  private static final String POLICY = "shop/default";

  private final UnansweredWrites writes = new UnansweredWrites();

  @Test
  void aWorkloadNeverUnansweredIsAlwaysWritten() {
    assertThat(writes.permit(POLICY, "a", "1", T0)).isEqualTo(WRITE);
    assertThat(writes.retryIn(POLICY, T0)).isEmpty();
  }

  @Test
  void anUnansweredWriteWaitsThenOneProbeAtATimeIsAllowed() {
    IntStream.range(0, 100).forEach(i -> writes.unanswered(POLICY, "w" + i, "7", T0));

    assertThat(writes.permit(POLICY, "w0", "7", T0.plusSeconds(4))).isEqualTo(WAIT);
    assertThat(writes.retryIn(POLICY, T0)).contains(UnansweredWrites.FIRST_DELAY);
    Instant due = T0.plus(UnansweredWrites.FIRST_DELAY);
    assertThat(writes.permit(POLICY, "w0", "7", due)).isEqualTo(PROBE);
    assertThat(IntStream.range(1, 100).mapToObj(i -> writes.permit(POLICY, "w" + i, "7", due)))
        .as("the other 99 while the probe is out")
        .containsOnly(WAIT);
  }

  @Test
  void eachUnansweredProbeDoublesTheWaitUpToTheCap() {
    writes.unanswered(POLICY, "a", "7", T0);
    Instant now = T0.plus(UnansweredWrites.FIRST_DELAY);
    Duration delay = UnansweredWrites.FIRST_DELAY;
    for (int i = 0; i < 10; i++) {
      assertThat(writes.permit(POLICY, "a", "7", now)).isEqualTo(PROBE);
      writes.unanswered(POLICY, "a", "7", now);
      delay =
          delay.multipliedBy(2).compareTo(UnansweredWrites.MAX_DELAY) > 0
              ? UnansweredWrites.MAX_DELAY
              : delay.multipliedBy(2);
      assertThat(writes.retryIn(POLICY, now)).contains(delay);
      assertThat(writes.permit(POLICY, "a", "7", now.plus(delay).minusMillis(1))).isEqualTo(WAIT);
      now = now.plus(delay);
    }
    assertThat(delay).isEqualTo(UnansweredWrites.MAX_DELAY);
  }

  @Test
  void anAnsweredProbeLetsEveryOtherWorkloadOfThePolicyWriteOnceMore() {
    writes.unanswered(POLICY, "a", "7", T0);
    writes.unanswered(POLICY, "b", "8", T0);
    writes.unanswered("other/p", "c", "9", T0);
    Instant due = T0.plus(UnansweredWrites.FIRST_DELAY);
    assertThat(writes.permit(POLICY, "a", "7", due)).isEqualTo(PROBE);

    writes.answered(POLICY, "a");

    assertThat(writes.retryIn(POLICY, due)).contains(Duration.ofSeconds(1));
    assertThat(writes.permit(POLICY, "b", "8", due)).isEqualTo(WRITE);
    assertThat(writes.permit("other/p", "c", "9", T0.plusSeconds(1))).isEqualTo(WAIT);
    writes.answered(POLICY, "b");
    assertThat(writes.retryIn(POLICY, due)).isEmpty();
  }

  @Test
  void aChangedWorkloadIsWrittenAtItsNewVersion() {
    writes.unanswered(POLICY, "a", "7", T0);

    assertThat(writes.permit(POLICY, "a", "8", T0)).isEqualTo(WRITE);
  }

  @Test
  void aProbeThatFailsOtherwiseStillWaitsLonger() {
    writes.unanswered(POLICY, "a", "7", T0);
    Instant due = T0.plus(UnansweredWrites.FIRST_DELAY);
    assertThat(writes.permit(POLICY, "a", "7", due)).isEqualTo(PROBE);

    writes.probeFailed(POLICY, due);

    assertThat(writes.retryIn(POLICY, due)).contains(UnansweredWrites.FIRST_DELAY.multipliedBy(2));
    assertThat(writes.permit(POLICY, "a", "7", due.plusSeconds(10))).isEqualTo(PROBE);
  }
}
