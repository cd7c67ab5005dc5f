package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.Annotations;
import java.net.HttpURLConnection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@code default} RuntimePolicy in a namespace the first time an annotated workload
 * there needs it, from the operator's configured defaults, so that annotating is all users do. Runs
 * off the informer thread; a policy that appeared meanwhile (409) is fine.
 */
public final class DefaultPolicyProvisioner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DefaultPolicyProvisioner.class);

  private final KubernetesClient client;
  private final RuntimePolicySpec defaults;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "default-policy-provisioner"));
  private final PolicyCache policies;

  DefaultPolicyProvisioner(
      KubernetesClient client, RuntimePolicySpec defaults, PolicyCache policies) {
    this.client = client;
    this.defaults = defaults;
    this.policies = policies;
  }

  void ensureDefaultPolicy(String namespace) {
    if (!policies.isReady()
        || policies.get(namespace, Annotations.DEFAULT_POLICY).isPresent()
        || !inFlight.add(namespace)) {
      return;
    }
    executor.execute(() -> create(namespace));
  }

  private void create(String namespace) {
    try {
      RuntimePolicy policy = new RuntimePolicy();
      policy.getMetadata().setName(Annotations.DEFAULT_POLICY);
      policy.getMetadata().setNamespace(namespace);
      policy.setSpec(defaults);
      client.resource(policy).create();
      log.info(
          "Created RuntimePolicy {}/{} from the operator's defaults",
          namespace,
          Annotations.DEFAULT_POLICY);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        log.warn(
            "Could not create RuntimePolicy {}/{}: {}",
            namespace,
            Annotations.DEFAULT_POLICY,
            e.getMessage());
      }
    } finally {
      inFlight.remove(namespace);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
