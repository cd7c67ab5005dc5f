package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.List;
import java.util.Map;

/**
 * Server-side apply of the operator's part of a Deployment: the managed env entries and the
 * tuned-by marker, nothing else. Every apply states the operator's complete intent for that
 * Deployment, because SSA removes whatever this field manager owned and no longer applies.
 */
final class DeploymentPatcher {

  static final String FIELD_MANAGER = "runtime-policy-operator";

  private final KubernetesClient client;

  DeploymentPatcher(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Sets {@code envVar} to the given value per container and marks the Deployment as tuned. An
   * empty value leaves the entry out, so SSA removes it where the operator alone owned it.
   */
  Deployment applyFlags(
      Deployment current, String policy, String envVar, Map<String, String> values) {
    Deployment intent = intent(current, envVar, values);
    intent.getMetadata().setAnnotations(Map.of(Annotations.TUNED_BY, policy));
    return apply(intent);
  }

  /**
   * Gives back what the operator added: containers whose stripped value is empty lose the entry (if
   * only the operator owned it), the others keep the user's options, and the marker goes.
   */
  Deployment release(Deployment current, String envVar, Map<String, String> usersOwnValues) {
    return apply(intent(current, envVar, usersOwnValues));
  }

  private Deployment apply(Deployment intent) {
    return client
        .apps()
        .deployments()
        .inNamespace(intent.getMetadata().getNamespace())
        .resource(intent)
        .fieldManager(FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  private static Deployment intent(Deployment current, String envVar, Map<String, String> values) {
    List<Container> containers =
        current.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> values.containsKey(c.getName()) && !values.get(c.getName()).isEmpty())
            .map(
                c ->
                    new ContainerBuilder()
                        .withName(c.getName())
                        .addNewEnv()
                        .withName(envVar)
                        .withValue(values.get(c.getName()))
                        .endEnv()
                        .build())
            .toList();
    DeploymentBuilder builder =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(current.getMetadata().getName())
            .withNamespace(current.getMetadata().getNamespace())
            .endMetadata();
    if (!containers.isEmpty()) {
      builder
          .withNewSpec()
          .withNewTemplate()
          .withNewSpec()
          .withContainers(containers)
          .endSpec()
          .endTemplate()
          .endSpec();
    }
    return builder.build();
  }
}
