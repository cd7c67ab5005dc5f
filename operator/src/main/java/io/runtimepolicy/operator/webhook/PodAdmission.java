package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.Staleness;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.reconciler.PodWorkloads;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inject mode at a pod's CREATE: a pod whose annotations (its template's) opt in under a policy in
 * Inject mode gets the managed env, the record and the injected label. Anything else is admitted
 * unchanged and silent: pods are created by controllers, not by the user, and a pod under an
 * Enforce policy already carries what its workload's template was given. A {@code pods/resize} of
 * such a pod is answered with a warning per value it leaves stale, and is never patched.
 */
final class PodAdmission implements WorkloadReviewer {

  private static final Logger log = LoggerFactory.getLogger(PodAdmission.class);

  private final Governance governance;
  private final Function<Pod, Optional<PodWorkloads.Owned>> owners;

  PodAdmission(Governance governance, Function<Pod, Optional<PodWorkloads.Owned>> owners) {
    this.governance = governance;
    this.owners = owners;
  }

  @Override
  public Decision review(Subject subject) {
    if ("resize".equals(subject.subResource())) {
      return resize(subject);
    }
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

  /**
   * A {@code pods/resize} of a pod whose annotations opt in, under any mode, or of a pod whose
   * workload a policy governs in Enforce or Audit mode (its values came from that workload's
   * template): a warning for each value the new resources leave stale ({@link Staleness}), never a
   * patch.
   */
  private Decision resize(Subject subject) {
    if (!(subject.workload() instanceof Pod pod)
        || !(subject.old() instanceof Pod old)
        || pod.getMetadata() == null
        || !governance.ready()) {
      return Decision.warn(List.of());
    }
    var annotations = pod.getMetadata().getAnnotations();
    var governing = governance.of(subject.namespace(), annotations);
    if (governing.isEmpty()) {
      Optional<PodWorkloads.Owned> owned = owners.apply(pod);
      if (owned.isEmpty()) {
        return Decision.warn(List.of());
      }
      governing = Optional.of(owned.get().governing());
      annotations = owned.get().annotations();
    }
    List<Staleness.StaleValue> stale =
        Staleness.afterResize(
            governing.get().settings(),
            governing.get().policy(),
            annotations,
            old.getSpec(),
            pod.getSpec());
    if (!stale.isEmpty()) {
      log.info(
          "Pod {}/{} resized: {} value(s) stale until it is recreated",
          subject.namespace(),
          pod.getMetadata().getName(),
          stale.size());
    }
    return Decision.warn(Staleness.warnings(stale, pod.getSpec()));
  }
}
