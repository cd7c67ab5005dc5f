package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.time.Clock;

/** What the reconciler needs from the process around it, wired once by the operator's main. */
public record ReconcilerContext(
    KubernetesClient client,
    Clock clock,
    String deploymentLabelSelector,
    int resultsLimit,
    PolicyCache policies,
    DefaultPolicyProvisioner provisioner,
    Counter patchedCounter) {

  public static ReconcilerContext create(KubernetesClient client, MeterRegistry registry,
      RuntimePolicySpec defaultPolicy, String deploymentLabelSelector, int resultsLimit) {
    PolicyCache policies = new PolicyCache();
    return new ReconcilerContext(client, Clock.systemUTC(), deploymentLabelSelector, resultsLimit,
        policies, new DefaultPolicyProvisioner(client, defaultPolicy, policies),
        Counter.builder("runtimepolicy.deployments.patched")
            .description("Deployment writes (tune or release) made by the operator")
            .register(registry));
  }
}
