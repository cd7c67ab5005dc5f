package io.runtimepolicy.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.Tuning;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.workload.WorkloadKind;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.util.function.Consumer;

/** The engine's plan for a workload, and what the API server stores once the webhook answered. */
final class PlanApplier {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PlanApplier() {}

  /** The plan under {@code settings} (null: not governed), for policy {@code default}. */
  static TuningPlan plan(HasMetadata workload, PolicySettings settings) {
    WorkloadKind<?> kind = WorkloadKinds.of(workload).orElseThrow();
    var template = kind.podTemplateOf(workload);
    return Tuning.plan(
        settings, "default", workload.getMetadata().getAnnotations(), template.getSpec());
  }

  /** The workload after the plan's JSONPatch, applied by a real RFC 6902 implementation. */
  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> T apply(T workload, TuningPlan plan) {
    WorkloadKind<?> kind = WorkloadKinds.of(workload).orElseThrow();
    JsonNode sent = JSON.convertValue(workload, JsonNode.class);
    JsonNode patched = JsonPatch.apply(JsonPatches.of(kind, workload, plan), sent);
    return (T) JSON.convertValue(patched, workload.getClass());
  }

  /** Applies the plan to {@code workload} in place, as the API server stores the result. */
  static void applyTo(HasMetadata workload, TuningPlan plan) {
    HasMetadata patched = apply(workload, plan);
    workload.setMetadata(patched.getMetadata());
    WorkloadKind<?> kind = WorkloadKinds.of(workload).orElseThrow();
    kind.podTemplateOf(workload).setSpec(kind.podTemplateOf(patched).getSpec());
  }

  /** A policy's settings, from a spec edited from the defaults. */
  static PolicySettings settings(Consumer<RuntimePolicySpec> edit) {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    edit.accept(spec);
    return PolicySettings.from(spec);
  }

  /** The container named {@code name} of a Deployment's pod template. */
  static Container container(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
