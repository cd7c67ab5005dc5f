package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import org.junit.jupiter.api.Test;

class StatusWritesTest {

  private static final ResourceID ID = new ResourceID("default", "shop");

  @Test
  void anUnchangedStatusIsNotWritten() {
    assertThat(new StatusWrites().needsWrite(ID, "1", status(3), status(3))).isFalse();
  }

  @Test
  void aStatusJustWrittenIsNotWrittenAgainWhileTheCacheLagsBehind() {
    StatusWrites writes = new StatusWrites();
    assertThat(writes.needsWrite(ID, "1", status(1), status(2))).isTrue();

    assertThat(writes.needsWrite(ID, "1", status(1), status(2))).isFalse();
  }

  @Test
  void onceTheCacheMovesOnItIsTheCacheThatCounts() {
    StatusWrites writes = new StatusWrites();
    writes.needsWrite(ID, "1", status(1), status(2));

    // Someone else set the status back at version 7: the operator restores its own.
    assertThat(writes.needsWrite(ID, "7", status(1), status(2))).isTrue();
  }

  @Test
  void afterAFailureNothingIsAssumed() {
    StatusWrites writes = new StatusWrites();
    writes.needsWrite(ID, "1", status(1), status(2));

    writes.forget(ID);

    assertThat(writes.needsWrite(ID, "1", status(1), status(2))).isTrue();
  }

  private static RuntimePolicyStatus status(int targets) {
    RuntimePolicyStatus status = new RuntimePolicyStatus();
    status.setTargets(targets);
    return status;
  }
}
