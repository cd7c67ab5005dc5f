package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload writes the API server refuses with HTTP 403, per policy. A denial comes from the
 * operator's RBAC, not from one workload: it is logged once per policy while it lasts, and once
 * more when a write succeeds again, instead of once per workload on every resync. Status still
 * names every refused workload.
 */
final class WriteDenials implements HeldState.Holder {

  private static final Logger log = LoggerFactory.getLogger(WriteDenials.class);

  /** Policy (namespace/name) to the writes refused since the denial began. */
  private final Map<String, AtomicInteger> denied = new ConcurrentHashMap<>();

  static boolean isDenial(KubernetesClientException e) {
    return e.getCode() == HttpURLConnection.HTTP_FORBIDDEN;
  }

  void refused(String policy, String kind, String workload, KubernetesClientException e) {
    String reason = e.getStatus() == null ? "" : e.getStatus().getMessage();
    // Writes of one policy run in parallel: exactly one of them opens the denial.
    AtomicInteger open = denied.putIfAbsent(policy, new AtomicInteger(1));
    if (open == null) {
      log.warn(
          "Could not write {} {} of RuntimePolicy {}: HTTP 403 {} (further denials logged at debug"
              + " until a write succeeds)",
          kind,
          workload,
          policy,
          reason);
      return;
    }
    open.incrementAndGet();
    log.debug("Could not write {} {} of RuntimePolicy {}: HTTP 403", kind, workload, policy);
  }

  void succeeded(String policy) {
    AtomicInteger refused = denied.remove(policy);
    if (refused != null) {
      log.info(
          "Writes of RuntimePolicy {} succeed again, {} refused while denied", policy, refused);
    }
  }

  @Override
  public int size() {
    return denied.size();
  }

  @Override
  public void policyGone(ResourceID policy) {
    denied.remove(HeldState.key(policy));
  }
}
