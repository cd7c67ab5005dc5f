package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's informer cache of RuntimePolicies, shared with the webhook and the default-policy
 * provisioner so neither reads the API server per request. While the operator starts it answers
 * from {@link EarlyPolicies}, which lists in a second; once the controller's own cache has listed
 * it answers from that and stops the early one, so one cache answers in steady state. Empty (not
 * {@link #isReady}) until one of them has listed.
 */
public final class PolicyCache {

  private static final Logger log = LoggerFactory.getLogger(PolicyCache.class);

  private volatile IndexedResourceCache<RuntimePolicy> cache;
  private volatile BooleanSupplier cacheSynced = () -> true;
  private final AtomicBoolean handedOver = new AtomicBoolean();
  private volatile Early early;
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

  /** The controller's cache; it answers once {@code synced} (its informers have listed). */
  void use(IndexedResourceCache<RuntimePolicy> cache) {
    this.cache = cache;
  }

  /**
   * Lists the policies with an informer of its own, answered from until the controller's cache has
   * listed, which {@code cacheSynced} tells (JOSDK's informer health).
   */
  public void startEarly(
      KubernetesClient client, List<String> watchNamespaces, BooleanSupplier cacheSynced) {
    useEarly(EarlyPolicies.start(client, watchNamespaces), cacheSynced);
  }

  void useEarly(Early early, BooleanSupplier cacheSynced) {
    this.cacheSynced = cacheSynced;
    this.early = early;
  }

  /** What the policies are answered from while the operator starts ({@link EarlyPolicies}). */
  interface Early extends AutoCloseable {
    boolean synced();

    boolean running();

    Optional<RuntimePolicy> get(String namespace, String name);

    @Override
    void close();
  }

  public boolean isReady() {
    if (none || controllerCache() != null) {
      return true;
    }
    Early current = early;
    return current != null && current.synced();
  }

  /** False when the early informer has stopped on an error before the controller's cache listed. */
  public boolean earlyRunning() {
    Early current = early;
    return current == null || current.running();
  }

  public Optional<RuntimePolicy> get(String namespace, String name) {
    Map<String, RuntimePolicy> fixed = byName;
    if (fixed != null) {
      return Optional.ofNullable(fixed.get(name));
    }
    IndexedResourceCache<RuntimePolicy> current = controllerCache();
    if (current != null) {
      return current.get(new ResourceID(name, namespace));
    }
    Early starting = early;
    return starting == null ? Optional.empty() : starting.get(namespace, name);
  }

  /**
   * The controller's cache once it has listed; the first call that finds so stops the early one.
   */
  private IndexedResourceCache<RuntimePolicy> controllerCache() {
    IndexedResourceCache<RuntimePolicy> current = cache;
    if (current == null || !(handedOver.get() || cacheSynced.getAsBoolean())) {
      return null;
    }
    if (handedOver.compareAndSet(false, true)) {
      Early done = early;
      early = null;
      if (done != null) {
        log.info("Policies answered from the controller's cache; the early informer stops");
        // Not on this thread: it may be the webhook's, and a stop waits for the watch to close.
        CompletableFuture.runAsync(done::close);
      }
    }
    return current;
  }

  /** Stops the early informer if it still runs. */
  public void close() {
    Early current = early;
    early = null;
    if (current != null) {
      current.close();
    }
  }
}
