package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.runtimepolicy.testing.WebhookRegistrations;
import java.time.Duration;

/**
 * The chart's registration with {@code inject.enabled=true} (so it holds the Pod webhook) for one
 * namespace, pointing at one operator process. Both ways are confirmed by a dry-run create of a
 * governed pod: it comes back with the injected label once the API server calls the webhook, and
 * without it once it has stopped, so no measured create straddles the change.
 */
final class PodWebhook {

  private final BenchCluster cluster;
  private final String namespace;
  private MutatingWebhookConfiguration registered;

  PodWebhook(BenchCluster cluster, String namespace) {
    this.cluster = cluster;
    this.namespace = namespace;
  }

  void register(OperatorLauncher.Running operator) {
    registered =
        WebhookRegistrations.loopback(
            operator.webhookPort(),
            cluster.certificate().caPem(),
            OperatorLauncher.OPERATOR_NAMESPACE,
            "watchNamespaces={" + namespace + "}",
            "inject.enabled=true");
    cluster.client().resource(registered).forceConflicts().serverSideApply();
    await("the API server to send pods to the webhook", true);
  }

  void unregister() {
    if (registered != null) {
      cluster.client().resource(registered).delete();
      registered = null;
      await("the API server to stop calling the webhook", false);
    }
  }

  private void await(String what, boolean injected) {
    Poll.until(
        what,
        Duration.ofSeconds(60),
        Duration.ofMillis(100),
        () -> {
          var probe = InjectPods.governed(namespace, "probe");
          return InjectPods.injected(cluster.client().resource(probe).dryRun().create())
              == injected;
        });
  }
}
