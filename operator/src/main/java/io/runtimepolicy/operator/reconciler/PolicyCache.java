package io.runtimepolicy.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's informer cache of RuntimePolicies, shared with the webhook and the default-policy
 * provisioner so neither reads the API server per request. Empty until the controller starts.
 */
public final class PolicyCache {

  private volatile IndexedResourceCache<RuntimePolicy> cache;
  private volatile boolean none;
  private volatile Map<String, RuntimePolicy> byName;

  /** A cache that knows there are no policies: the engine without a cluster, defaults only. */
  public static PolicyCache withoutPolicies() {
    PolicyCache empty = new PolicyCache();
    empty.none = true;
    return empty;
  }

  /**
   * A cache of these policies only, found by name in every namespace: the engine offline ({@code
   * runtime-policy check}), where manifests and policy files rarely agree on a namespace. A later
   * policy of the same name wins.
   */
  public static PolicyCache of(Collection<RuntimePolicy> policies) {
    PolicyCache fixed = withoutPolicies();
    Map<String, RuntimePolicy> names = new LinkedHashMap<>();
    policies.forEach(p -> names.put(p.getMetadata().getName(), p));
    fixed.byName = Map.copyOf(names);
    return fixed;
  }

  void use(IndexedResourceCache<RuntimePolicy> cache) {
    this.cache = cache;
  }

  public boolean isReady() {
    return none || cache != null;
  }

  public Optional<RuntimePolicy> get(String namespace, String name) {
    Map<String, RuntimePolicy> fixed = byName;
    if (fixed != null) {
      return Optional.ofNullable(fixed.get(name));
    }
    IndexedResourceCache<RuntimePolicy> current = cache;
    return current == null ? Optional.empty() : current.get(new ResourceID(name, namespace));
  }
}
