package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a computed status needs a write, and when. The cached policy can predate the
 * status the previous reconcile wrote (a Deployment event often triggers the next reconcile before
 * the informer sees that write), so while the cache still shows the version a write started from,
 * the computed status is compared with what was written rather than with the cache. A burst of
 * workload events (a thousand creates) would write the status once per reconcile: writes of one
 * policy are at least {@link #MIN_INTERVAL} apart, the held-back one follows when that is over, so
 * the status is exact within a second of the burst's end.
 */
final class StatusWrites implements HeldState.Holder {

  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /** What to do now: write, and reconcile again after {@code again} (none: not needed). */
  record Decision(boolean write, Optional<Duration> again) {}

  private record Written(String fromVersion, String json, Instant at) {}

  private final Map<ResourceID, Written> written = new ConcurrentHashMap<>();

  /** Whether and when to write {@code computed}; a write decided here is taken as done. */
  Decision decide(
      ResourceID id,
      String cachedVersion,
      RuntimePolicyStatus cached,
      RuntimePolicyStatus computed,
      Instant now) {
    String json = Serialization.asJson(computed);
    Written last = written.get(id);
    if (json.equals(Serialization.asJson(cached))
        || (last != null && last.fromVersion().equals(cachedVersion) && last.json().equals(json))) {
      return new Decision(false, Optional.empty());
    }
    Optional<Duration> wait = wait(id, now);
    if (wait.isPresent()) {
      return new Decision(false, wait);
    }
    written.put(id, new Written(cachedVersion, json, now));
    return new Decision(true, Optional.empty());
  }

  /**
   * How long until the next write of {@code id} may go out, while the last was under {@link
   * #MIN_INTERVAL} ago: the status need not even be computed before then.
   */
  Optional<Duration> wait(ResourceID id, Instant now) {
    Written last = written.get(id);
    if (last == null || !now.isBefore(last.at().plus(MIN_INTERVAL))) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, last.at().plus(MIN_INTERVAL)));
  }

  /** After a failed reconcile nothing is assumed about what the policy holds. */
  void forget(ResourceID id) {
    written.remove(id);
  }

  @Override
  public int size() {
    return written.size();
  }

  @Override
  public void policyGone(ResourceID policy) {
    forget(policy);
  }
}
