package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bare pods shaped like the pods of {@link Workloads}' Deployments (their template, as a controller
 * would stamp it), and the Inject policy that governs them. The opt-in sits on the pod's own
 * annotations, where a template's annotations land.
 */
final class InjectPods {

  private InjectPods() {}

  static Pod governed(String namespace, String name) {
    return pod(namespace, name, true);
  }

  static Pod ungoverned(String namespace, String name) {
    return pod(namespace, name, false);
  }

  /** The {@code default} policy in Inject mode, otherwise the chart's defaults. */
  static void createPolicy(KubernetesClient client, String namespace) {
    RuntimePolicy policy = ConvergenceBench.policy(namespace);
    policy.getMetadata().setName(Annotations.DEFAULT_POLICY);
    policy.getSpec().setMode(Mode.Inject);
    client.resource(policy).serverSideApply();
  }

  static boolean injected(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels != null && "true".equals(labels.get(Annotations.INJECTED_LABEL));
  }

  private static Pod pod(String namespace, String name, boolean optIn) {
    Deployment deployment = Workloads.ungoverned(namespace, name, false);
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    Map<String, String> annotations = new LinkedHashMap<>(template.getMetadata().getAnnotations());
    if (optIn) {
      annotations.put(Annotations.JAVA_TUNING, "enabled");
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(template.getMetadata().getLabels())
        .withAnnotations(annotations)
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }
}
