package io.runtimepolicy.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.util.Optional;

/**
 * The operator's informer cache of RuntimePolicies, shared with the webhook and the default-policy
 * provisioner so neither reads the API server per request. Empty until the controller starts.
 */
public final class PolicyCache {

  private volatile IndexedResourceCache<RuntimePolicy> cache;
  private volatile boolean none;

  /** A cache that knows there are no policies: the engine without a cluster, defaults only. */
  public static PolicyCache withoutPolicies() {
    PolicyCache empty = new PolicyCache();
    empty.none = true;
    return empty;
  }

  void use(IndexedResourceCache<RuntimePolicy> cache) {
    this.cache = cache;
  }

  public boolean isReady() {
    return none || cache != null;
  }

  public Optional<RuntimePolicy> get(String namespace, String name) {
    IndexedResourceCache<RuntimePolicy> current = cache;
    return current == null ? Optional.empty() : current.get(new ResourceID(name, namespace));
  }
}
