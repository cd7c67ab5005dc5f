package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.DeploymentEvaluation;
import io.runtimepolicy.operator.policy.DeploymentEvaluator;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.reconciler.PolicyCache;
import java.util.ArrayList;
import java.util.List;

/**
 * The same engine the reconciler runs, on the incoming object: its findings, plus a warning for
 * every managed flag the user set that the policy would replace. The policy comes from the
 * operator's cache; one that does not exist yet is taken to hold the configured defaults.
 */
public final class PolicyWarnings implements DeploymentWarnings {

  private final PolicyCache policies;
  private final RuntimePolicySpec defaults;

  public PolicyWarnings(PolicyCache policies, RuntimePolicySpec defaults) {
    this.policies = policies;
    this.defaults = defaults;
  }

  @Override
  public List<String> warningsFor(Deployment deployment, String namespace) {
    if (deployment.getMetadata() == null) {
      return List.of();
    }
    var annotations = deployment.getMetadata().getAnnotations();
    return Annotations.governingPolicy(annotations)
        .map(name -> warnings(deployment, settings(namespace, name)))
        .orElse(List.of());
  }

  private PolicySettings settings(String namespace, String name) {
    return PolicySettings.from(
        policies.get(namespace, name).map(RuntimePolicy::getSpec).orElse(defaults));
  }

  private static List<String> warnings(Deployment deployment, PolicySettings settings) {
    DeploymentEvaluation evaluation = DeploymentEvaluator.evaluate(settings, deployment);
    List<String> messages = new ArrayList<>();
    evaluation.findings().stream().map(Finding::message).forEach(messages::add);
    evaluation.flagDrift().stream().map(Finding::message).forEach(messages::add);
    return messages.stream().distinct().toList();
  }
}
