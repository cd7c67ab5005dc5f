package io.runtimepolicy.operator.check;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.check.WorkloadReport.Change;
import io.runtimepolicy.operator.check.WorkloadReport.State;
import io.runtimepolicy.operator.check.WorkloadReport.Target;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.EnvVars;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.policy.RuleResult;
import io.runtimepolicy.operator.policy.Stored;
import io.runtimepolicy.operator.policy.Tuning;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.reconciler.Governance.Governing;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One manifest through the engine the admission webhook runs ({@code WorkloadAdmission}, {@code
 * PodAdmission}), as the CREATE of the object would reach it:
 *
 * <ul>
 *   <li>A governed kind opted in on its own metadata under an Enforce or Audit policy: {@link
 *       Tuning#plan} with nothing stored; its env edits are the changes (Audit: what Enforce would
 *       set), its evaluation's findings the findings.
 *   <li>The same under an Inject policy: the Notice {@code InjectOptInOnWorkload}, no changes.
 *   <li>A workload whose pod template opts in under an Inject policy, and a Pod that does: {@link
 *       Injection#plan} of the pod, whose env edits each new pod gets.
 *   <li>Opted in, naming a policy that is not given: not governed, with {@code PolicyNotFound}.
 *   <li>Anything else: not governed, silently, as admission leaves it.
 * </ul>
 */
final class ManifestCheck {

  private final Governance governance;

  ManifestCheck(Governance governance) {
    this.governance = governance;
  }

  WorkloadReport check(Manifest manifest) {
    var meta = manifest.workload().getMetadata();
    Map<String, String> annotations = meta.getAnnotations();
    String namespace = meta.getNamespace();
    PodTemplateSpec template = manifest.kind().podTemplateOf(manifest.workload());
    PodSpec spec = template == null ? null : template.getSpec();
    boolean pod = manifest.kind() == WorkloadKinds.pod();
    Optional<Governing> governing = governance.of(namespace, annotations);
    if (governing.isPresent() && !pod) {
      if (governing.get().settings().mode() == Mode.Inject) {
        Finding notice = Injection.optInOnWorkload();
        List<Finding> findings = List.of(notice);
        List<RuleResult> rules = RuleResult.of(WorkloadState.Skipped, false, findings);
        return report(manifest, governing.get(), State.Skipped, Target.Pods, null, findings, rules);
      }
      TuningPlan plan =
          Tuning.plan(
              governing.get().settings(),
              governing.get().policy(),
              annotations,
              spec,
              Stored.NOTHING);
      return report(manifest, governing.get(), Target.Manifest, plan, spec);
    }
    var podMeta = template == null ? null : template.getMetadata();
    Map<String, String> podAnnotations = podMeta == null ? null : podMeta.getAnnotations();
    Optional<Governing> injecting =
        governance.of(namespace, podAnnotations).filter(g -> g.settings().mode() == Mode.Inject);
    if (injecting.isPresent()) {
      TuningPlan plan =
          Injection.plan(
              injecting.get().settings(),
              injecting.get().policy(),
              podAnnotations,
              podMeta.getLabels(),
              spec);
      return report(manifest, injecting.get(), pod ? Target.Manifest : Target.Pods, plan, spec);
    }
    List<Finding> findings = new ArrayList<>();
    if (Annotations.isGoverned(annotations) && !pod) {
      findings.add(missingPolicy(Annotations.policyName(annotations)));
    }
    return report(manifest, null, State.NotGoverned, Target.Manifest, null, findings, List.of());
  }

  private static WorkloadReport report(
      Manifest manifest, Governing governing, Target target, TuningPlan plan, PodSpec spec) {
    List<Change> changes = new ArrayList<>();
    for (TuningPlan.EnvEdit edit : plan.env()) {
      String from =
          container(spec, edit.container())
              .flatMap(c -> EnvVars.literal(c, edit.variable()))
              .orElse(null);
      changes.add(new Change(edit.container(), edit.variable(), from, edit.value()));
    }
    WorkloadState state = plan.evaluation().state();
    State shown = State.valueOf(state == WorkloadState.Error ? "Skipped" : state.name());
    WorkloadState tuning = plan.evaluation().tuningState();
    if (!changes.isEmpty()) {
      // only a value given back: still a write
      shown = shown == State.Tuned ? State.Pending : shown;
      tuning = tuning == WorkloadState.Tuned ? WorkloadState.Pending : tuning;
    }
    List<Finding> findings = plan.evaluation().findings();
    List<RuleResult> rules = RuleResult.of(tuning, plan.evaluation().probed(), findings);
    return report(manifest, governing, shown, target, changes, findings, rules);
  }

  private static WorkloadReport report(
      Manifest manifest,
      Governing governing,
      State state,
      Target target,
      List<Change> changes,
      List<Finding> findings,
      List<RuleResult> rules) {
    return new WorkloadReport(
        manifest,
        governing == null ? null : governing.policy(),
        governing == null ? null : governing.settings().mode(),
        state,
        target,
        changes == null ? List.of() : changes,
        findings,
        rules);
  }

  private static Optional<Container> container(PodSpec spec, String name) {
    if (spec == null || spec.getContainers() == null) {
      return Optional.empty();
    }
    return spec.getContainers().stream()
        .filter(c -> c != null && name.equals(c.getName()))
        .findFirst();
  }

  // The webhook's PolicyNotFound, said the way the check sees it.
  private static Finding missingPolicy(String name) {
    return Finding.notice(
        Reasons.POLICY_NOT_FOUND,
        null,
        Annotations.POLICY + " names " + Finding.quoted(name) + ", not given with --policy");
  }
}
