package io.runtimepolicy.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for state: a condition polled until a deadline, never a fixed sleep. */
final class Poll {

  private Poll() {}

  static void until(String what, Duration within, Duration every, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + within + " waiting for " + what);
      }
      pause(every);
    }
  }

  /** Polls {@code value} until it stops changing for {@code quiet}; returns the last value. */
  static <T> T settled(String what, Duration quiet, Duration within, Supplier<T> value) {
    long deadline = System.nanoTime() + within.toNanos();
    T last = value.get();
    long stableSince = System.nanoTime();
    while (System.nanoTime() - stableSince < quiet.toNanos()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not settle within " + within);
      }
      pause(Duration.ofMillis(250));
      T now = value.get();
      if (!now.equals(last)) {
        last = now;
        stableSince = System.nanoTime();
      }
    }
    return last;
  }

  /** A measurement window: the benchmark deliberately does nothing for {@code window}. */
  static void window(Duration window) {
    pause(window);
  }

  private static void pause(Duration duration) {
    try {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
