package io.runtimepolicy.operator.health;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What /readyz answers: whether this replica should be a webhook Service endpoint. Only conditions
 * that stay false until something is done count, never a watch being re-established: admission
 * answers from the policy cache while a watch reconnects, and pulling the endpoint for that second
 * would send the API server's admission calls to nothing (issue 24). The first check that does not
 * hold is the reason; every change of reason is logged once.
 */
public final class Readiness {

  static final String SHUTTING_DOWN = "shutting down";

  private static final Logger log = LoggerFactory.getLogger(Readiness.class);

  /** A condition the endpoint needs, and the reason /readyz gives while it does not hold. */
  public record Check(String reason, BooleanSupplier holds) {}

  private final List<Check> checks;
  private volatile boolean stopping;
  private boolean reported;
  private String reason;
  private boolean wasReady;

  public Readiness(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /**
   * True from the first time {@code condition} is true on: for what is done once (the first sync),
   * which a later relist or reconnect does not undo.
   */
  public static BooleanSupplier once(BooleanSupplier condition) {
    AtomicBoolean held = new AtomicBoolean();
    return () -> {
      if (!held.get() && condition.getAsBoolean()) {
        held.set(true);
      }
      return held.get();
    };
  }

  /** Not ready from now on: the endpoint should go while the webhook still answers. */
  public void stopping() {
    stopping = true;
  }

  /** The reason this replica is not ready, or empty when it is. */
  public synchronized Optional<String> notReady() {
    String now = stopping ? SHUTTING_DOWN : firstFailing();
    if (!reported || !Objects.equals(now, reason)) {
      report(now);
    }
    return Optional.ofNullable(now);
  }

  private String firstFailing() {
    for (Check check : checks) {
      if (!check.holds().getAsBoolean()) {
        return check.reason();
      }
    }
    return null;
  }

  private void report(String now) {
    if (now == null) {
      log.info("Ready: /readyz answers 200");
      wasReady = true;
    } else if (wasReady && !now.equals(SHUTTING_DOWN)) {
      log.warn("Not ready: {}", now);
    } else {
      log.info("Not ready: {}", now);
    }
    reported = true;
    reason = now;
  }
}
