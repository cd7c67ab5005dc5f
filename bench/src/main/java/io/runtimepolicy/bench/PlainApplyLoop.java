package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.DeploymentEvaluator;
import io.runtimepolicy.operator.policy.PolicySettings;
import java.util.List;
import java.util.Map;

/**
 * The limit for convergence: a plain fabric8 loop that server-side applies to each Deployment the
 * very change the operator makes (same engine, same env value, same tuned-by marker, same shape
 * of apply as the operator's DeploymentPatcher), on several threads, as fast as the API server
 * answers. The intents are computed before the clock starts.
 */
final class PlainApplyLoop {

  static final String FIELD_MANAGER = "bench-plain-loop";

  private PlainApplyLoop() {}

  static ParallelLoop.Timing run(KubernetesClient client, List<Deployment> targets, int threads) {
    List<Deployment> intents = targets.stream().map(PlainApplyLoop::intent).toList();
    return ParallelLoop.run(intents.size(), threads, i -> client.apps().deployments()
        .inNamespace(intents.get(i).getMetadata().getNamespace())
        .resource(intents.get(i))
        .fieldManager(FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply());
  }

  static Deployment intent(Deployment current) {
    var podSpec = current.getSpec().getTemplate().getSpec();
    var evaluation = DeploymentEvaluator.evaluate(PolicySettings.defaults(), current.getMetadata().getAnnotations(), podSpec);
    Map<String, String> values = evaluation.desiredValues();
    String envVar = PolicySettings.defaults().optionsEnvVar();
    List<Container> containers = podSpec.getContainers().stream()
        .filter(c -> values.containsKey(c.getName()))
        .map(c -> new ContainerBuilder().withName(c.getName())
            .addNewEnv().withName(envVar).withValue(values.get(c.getName())).endEnv().build())
        .toList();
    return new DeploymentBuilder()
        .withNewMetadata().withName(current.getMetadata().getName())
        .withNamespace(current.getMetadata().getNamespace())
        .withAnnotations(Map.of(Annotations.TUNED_BY, "bench")).endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().withContainers(containers).endSpec().endTemplate().endSpec()
        .build();
  }
}
