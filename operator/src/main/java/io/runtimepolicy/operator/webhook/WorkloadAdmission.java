package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.policy.Tuning;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  public WorkloadAdmission(Governance governance) {
    this.governance = governance;
    this.pods = new PodAdmission(governance);
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
            template == null ? null : template.getSpec());
    boolean mayPatch = subject.kind().templateMutable() || "CREATE".equals(subject.operation());
    List<String> warnings = new ArrayList<>();
    if (governing.isEmpty()) {
      if (Annotations.isGoverned(annotations)) {
        warnings.add(missingPolicy(Annotations.policyName(annotations)));
      }
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
    if (patch && tooLarge(annotations, plan)) {
      warnings.add(TOO_LARGE);
      patch = false;
    }
    return new Decision(warnings.stream().distinct().toList(), patch ? plan : null);
  }

  /**
   * Kubernetes' limit on all annotations of an object, keys and values: a patch past it would make
   * the API server refuse the user's own write, so the webhook admits it untuned instead.
   */
  static final int ANNOTATIONS_LIMIT_BYTES = 256 * 1024;

  /** The warning when {@link #tooLarge}: the object is admitted as sent. */
  static final String TOO_LARGE =
      "not tuned: recording the values would take the annotations past Kubernetes' 256 KiB limit";

  static boolean tooLarge(Map<String, String> annotations, TuningPlan plan) {
    Map<String, String> after = new HashMap<>(annotations == null ? Map.of() : annotations);
    plan.annotations()
        .forEach(
            edit -> {
              if (edit.value() == null) {
                after.remove(edit.key());
              } else {
                after.put(edit.key(), edit.value());
              }
            });
    long bytes = 0;
    for (Map.Entry<String, String> e : after.entrySet()) {
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      bytes += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes > ANNOTATIONS_LIMIT_BYTES;
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
