package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a computed status needs a write. The cached policy can predate the status the
 * previous reconcile wrote (a Deployment event often triggers the next reconcile before the
 * informer sees that write), so while the cache still shows the version a write started from, the
 * computed status is compared with what was written rather than with the cache.
 */
final class StatusWrites {

  private record Written(String fromVersion, String json) {}

  private final Map<ResourceID, Written> written = new ConcurrentHashMap<>();

  /** True when {@code computed} differs from the status the policy has or is about to have. */
  boolean needsWrite(
      ResourceID id,
      String cachedVersion,
      RuntimePolicyStatus cached,
      RuntimePolicyStatus computed) {
    String json = Serialization.asJson(computed);
    Written last = written.get(id);
    if (json.equals(Serialization.asJson(cached))
        || (last != null && last.fromVersion().equals(cachedVersion) && last.json().equals(json))) {
      return false;
    }
    written.put(id, new Written(cachedVersion, json));
    return true;
  }

  /** After a failed reconcile nothing is assumed about what the policy holds. */
  void forget(ResourceID id) {
    written.remove(id);
  }
}
