package io.runtimepolicy.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workloads whose operator write the admission webhook did not tune (it was unregistered or
 * unreachable), and when to try again. The same object is not written again on every reconcile: per
 * policy, one probe write at a time, first {@link #FIRST_DELAY} after the failure and then at twice
 * the delay each time the probe goes unanswered, up to {@link #MAX_DELAY}. A probe the webhook
 * tunes lifts the wait for the policy's other workloads, each then written once: what admission
 * missed heals once the webhook answers, without a storm while it is away.
 */
final class UnansweredWrites implements HeldState.Holder {

  static final Duration FIRST_DELAY = Duration.ofSeconds(5);
  static final Duration MAX_DELAY = Duration.ofMinutes(5);

  /** When the policy may probe next, at what delay, and whether a probe is out. */
  private record Wait(Instant next, Duration delay, boolean probing) {}

  private record Write(String policy, String resourceVersion) {}

  private final Map<String, Write> unanswered = new ConcurrentHashMap<>();
  private final Map<String, Wait> waits = new ConcurrentHashMap<>();

  /** What {@link #permit} allows. */
  enum Permit {
    /** An ordinary write: the last one at this version was not unanswered. */
    WRITE,
    /** The policy's one probe: report back with {@link #answered} or {@link #unanswered}. */
    PROBE,
    /** Its last write at this version went unanswered, and the policy's wait is not over. */
    WAIT
  }

  /** Whether the operator may write this workload at {@code resourceVersion} now. */
  Permit permit(String policy, String uid, String resourceVersion, Instant now) {
    Write last = unanswered.get(uid);
    if (last == null || !last.resourceVersion().equals(resourceVersion)) {
      return Permit.WRITE;
    }
    boolean[] claimed = {false};
    Wait wait =
        waits.computeIfPresent(
            policy,
            (p, w) -> {
              if (w.probing() || now.isBefore(w.next())) {
                return w;
              }
              claimed[0] = true;
              return new Wait(w.next(), w.delay(), true);
            });
    if (claimed[0]) {
      return Permit.PROBE;
    }
    // No wait: a probe was answered, so every workload of the policy is written once more.
    return wait == null ? Permit.WRITE : Permit.WAIT;
  }

  /** The webhook tuned the operator's write. */
  void answered(String policy, String uid) {
    unanswered.remove(uid);
    waits.remove(policy);
  }

  /** The webhook did not tune the operator's write, which left {@code resourceVersion}. */
  void unanswered(String policy, String uid, String resourceVersion, Instant now) {
    unanswered.put(uid, new Write(policy, resourceVersion));
    waits.compute(
        policy,
        (p, wait) ->
            wait == null ? new Wait(now.plus(FIRST_DELAY), FIRST_DELAY, false) : after(wait, now));
  }

  /** A probe's write failed for another reason (refused, timed out): wait longer all the same. */
  void probeFailed(String policy, Instant now) {
    waits.computeIfPresent(policy, (p, wait) -> after(wait, now));
  }

  /** The wait after an unanswered write: longer when it was the probe, else unchanged. */
  private static Wait after(Wait wait, Instant now) {
    if (!wait.probing()) {
      // Another first write of the same burst: it waits with the others.
      return wait;
    }
    Duration delay = min(wait.delay().multipliedBy(2), MAX_DELAY);
    return new Wait(now.plus(delay), delay, false);
  }

  /**
   * How long until the policy should be reconciled again to retry, if it has workloads waiting: at
   * its next probe, or at once (a second) when a probe was answered and the rest are due.
   */
  Optional<Duration> retryIn(String policy, Instant now) {
    Wait wait = waits.get(policy);
    if (wait != null) {
      Duration left = Duration.between(now, wait.next());
      return Optional.of(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
    }
    boolean waiting = unanswered.values().stream().anyMatch(w -> w.policy().equals(policy));
    return waiting ? Optional.of(Duration.ofSeconds(1)) : Optional.empty();
  }

  @Override
  public int size() {
    return unanswered.size() + waits.size();
  }

  @Override
  public void policyGone(ResourceID policy) {
    String key = HeldState.key(policy);
    waits.remove(key);
    unanswered.values().removeIf(w -> w.policy().equals(key));
  }

  @Override
  public void workloadGone(HeldState.Workload workload) {
    unanswered.remove(workload.uid());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
