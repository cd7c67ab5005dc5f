package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.util.List;
import java.util.Optional;

/**
 * The policies the webhook answers from while the operator starts. The controller's own cache of
 * them lists beside the workload caches, on the same CPU and API server, and the operator's start
 * returns only once all have listed (most of a minute over 100,000 workloads); the webhook needs
 * only the policies. This informer lists them before any of that and serves until the controller's
 * cache has listed, then stops ({@link PolicyCache}). It keeps each policy's identity and spec, not
 * its status.
 */
final class EarlyPolicies implements PolicyCache.Early {

  private final SharedIndexInformer<RuntimePolicy> informer;

  private EarlyPolicies(SharedIndexInformer<RuntimePolicy> informer) {
    this.informer = informer;
  }

  /**
   * Started, not yet synced: {@link #synced} tells. Several watched namespaces share one
   * all-namespaces informer, as the workload informers do; {@link Governance} ignores the others.
   */
  static EarlyPolicies start(KubernetesClient client, List<String> watchNamespaces) {
    var resources = client.resources(RuntimePolicy.class);
    SharedIndexInformer<RuntimePolicy> informer =
        watchNamespaces.size() == 1
            ? resources.inNamespace(watchNamespaces.get(0)).runnableInformer(0)
            : resources.inAnyNamespace().runnableInformer(0);
    informer.itemStore(new SpecOnly());
    informer.start();
    return new EarlyPolicies(informer);
  }

  @Override
  public boolean synced() {
    return informer.hasSynced();
  }

  /** False once fabric8 has given up on it: it stops only on an error it will not retry. */
  @Override
  public boolean running() {
    return informer.isRunning();
  }

  @Override
  public Optional<RuntimePolicy> get(String namespace, String name) {
    return Optional.ofNullable(
        informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
  }

  @Override
  public void close() {
    informer.stop();
  }

  /** What the webhook reads of a policy: who it is and its spec. */
  private static final class SpecOnly extends PruningStore<RuntimePolicy> {
    @Override
    RuntimePolicy prune(RuntimePolicy policy) {
      var meta = policy.getMetadata();
      RuntimePolicy kept = new RuntimePolicy();
      kept.setMetadata(
          new ObjectMetaBuilder()
              .withName(meta.getName())
              .withNamespace(meta.getNamespace())
              .withUid(meta.getUid())
              .withResourceVersion(meta.getResourceVersion())
              .withGeneration(meta.getGeneration())
              .build());
      kept.setSpec(policy.getSpec());
      return kept;
    }
  }
}
