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

  void use(IndexedResourceCache<RuntimePolicy> cache) {
    this.cache = cache;
  }

  public boolean isReady() {
    return cache != null;
  }

  public Optional<RuntimePolicy> get(String namespace, String name) {
    IndexedResourceCache<RuntimePolicy> current = cache;
    return current == null ? Optional.empty() : current.get(new ResourceID(name, namespace));
  }
}
