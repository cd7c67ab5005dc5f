package io.runtimepolicy.operator.webhook;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Counts requests between their headers and the end of their response, for graceful shutdown. */
final class InFlightRequests {
  private int count;

  synchronized void enter() {
    count++;
  }

  synchronized void exit() {
    count--;
    if (count == 0) {
      notifyAll();
    }
  }

  synchronized int count() {
    return count;
  }

  /** Waits until no request is in flight or {@code max} has passed; true when none is. */
  synchronized boolean awaitNone(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
