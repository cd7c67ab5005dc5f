package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.reconciler.Governance;
import java.util.List;

/**
 * Inject mode at a pod's CREATE: a pod whose annotations (its template's) opt in under a policy in
 * Inject mode gets the managed env, the record and the injected label. Anything else is admitted
 * unchanged and silent: pods are created by controllers, not by the user, and a pod under an
 * Enforce policy already carries what its workload's template was given.
 */
final class PodAdmission implements WorkloadReviewer {

  private final Governance governance;

  PodAdmission(Governance governance) {
    this.governance = governance;
  }

  @Override
  public Decision review(Subject subject) {
    if (!"CREATE".equals(subject.operation()) || !(subject.workload() instanceof Pod pod)) {
      return Decision.warn(List.of());
    }
    if (pod.getMetadata() == null || !governance.ready()) {
      return Decision.warn(List.of());
    }
    var annotations = pod.getMetadata().getAnnotations();
    var governing = governance.of(subject.namespace(), annotations);
    if (governing.isEmpty() || governing.get().settings().mode() != Mode.Inject) {
      return Decision.warn(List.of());
    }
    TuningPlan plan =
        Injection.plan(
            governing.get().settings(),
            governing.get().policy(),
            annotations,
            pod.getMetadata().getLabels(),
            pod.getSpec());
    List<String> warnings =
        plan.evaluation().findings().stream().map(Finding::message).distinct().toList();
    return new Decision(warnings, plan.changes() ? plan : null);
  }
}
