package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.policy.Tuning;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.reconciler.PodWorkloads;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The same engine the reconciler runs, on the object under admission. Enforce: the plan comes back
 * as the patch, with the findings as warnings; the values the patch sets are not warned about.
 * Audit: no patch; the findings, plus a warning for every managed flag the user set that the policy
 * would replace. Inject: no patch (pods are tuned at their creation, {@link PodAdmission}); a
 * warning when the opt-in sits on the workload's metadata, which its pods do not see. Not governed
 * (any more): the patch gives back what the operator set. A Job is patched only when created: its
 * pod template cannot change afterwards.
 */
public final class WorkloadAdmission implements WorkloadReviewer {

  private final Governance governance;
  private final PodAdmission pods;

  /** Without the workload caches: a resized pod is looked at by its own annotations only. */
  public WorkloadAdmission(Governance governance) {
    this(governance, pod -> Optional.empty());
  }

  /** {@code owners}: a pod's governed workload ({@link PodWorkloads#of}), for its resize. */
  public WorkloadAdmission(
      Governance governance, Function<Pod, Optional<PodWorkloads.Owned>> owners) {
    this.governance = governance;
    this.pods = new PodAdmission(governance, owners);
  }

  @Override
  public Decision review(Subject subject) {
    if (subject.kind() == WorkloadKinds.pod()) {
      return pods.review(subject);
    }
    var meta = subject.workload().getMetadata();
    if (meta == null) {
      return Decision.warn(List.of());
    }
    if (!governance.ready()) {
      // Without the policies a named one would look missing and its values would go back.
      return Decision.warn(List.of());
    }
    Map<String, String> annotations = meta.getAnnotations();
    var governing = governance.of(subject.namespace(), annotations);
    PodTemplateSpec template = subject.kind().podTemplateOf(subject.workload());
    TuningPlan plan =
        Tuning.plan(
            governing.map(Governance.Governing::settings).orElse(null),
            governing.map(Governance.Governing::policy).orElse(null),
            annotations,
            template == null ? null : template.getSpec(),
            subject.stored());
    boolean mayPatch = subject.kind().templateMutable() || "CREATE".equals(subject.operation());
    List<String> warnings = new ArrayList<>();
    if (governing.isEmpty()) {
      if (Annotations.isGoverned(annotations)) {
        warnings.add(missingPolicy(Annotations.policyName(annotations)));
      }
      plan.recordFindings().stream().map(Finding::message).forEach(warnings::add);
      return new Decision(warnings, mayPatch && plan.changes() ? plan : null);
    }
    plan.evaluation().findings().stream().map(Finding::message).forEach(warnings::add);
    Mode mode = governing.get().settings().mode();
    boolean enforce = mode == Mode.Enforce;
    if (mode == Mode.Inject) {
      warnings.add(Injection.optInOnWorkload().message());
    } else if (!enforce) {
      plan.evaluation().flagDrift().stream().map(Finding::message).forEach(warnings::add);
    }
    boolean patch = enforce && mayPatch && plan.changes();
    return new Decision(warnings.stream().distinct().toList(), patch ? plan : null);
  }

  private static String missingPolicy(String name) {
    return Finding.notice(
            Reasons.POLICY_NOT_FOUND,
            null,
            Annotations.POLICY
                + " names "
                + Finding.quoted(name)
                + ", which does not exist in this namespace: not tuned")
        .message();
  }
}
