package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.Finding;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.ManagedEnv;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.policy.Tuning;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.policy.WorkloadEvaluation;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import io.runtimepolicy.operator.workload.WorkloadKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe, decide, act for one workload the admission webhook did not tune: it existed before the
 * policy, the policy changed, or it was written while the webhook was down. The act is always the
 * same empty write, in which the webhook applies the plan; the outcome feeds the policy's status.
 */
final class WorkloadTuner {

  private static final Logger log = LoggerFactory.getLogger(WorkloadTuner.class);

  private static final String TUNED_KEY = "Normal|Tuned|";

  private final WorkloadWriter writer;
  private final WorkloadEvents events;
  private final Counter patched;
  private final WriteDenials denials;

  /** Writes admission did not tune: retried by one probe per policy, with backoff. */
  private final UnansweredWrites unanswered;

  private final Clock clock;
  private final Instant started;

  /**
   * {@code clock}: its instant at construction is when the operator started; {@code held}: holds
   * what it keeps per policy.
   */
  WorkloadTuner(
      WorkloadWriter writer, WorkloadEvents events, Counter patched, Clock clock, HeldState held) {
    this.denials = held.register("WriteDenials", new WriteDenials());
    this.unanswered = held.register("UnansweredWrites", new UnansweredWrites());
    this.writer = writer;
    this.events = events;
    this.patched = patched;
    this.clock = clock;
    this.started = clock.instant();
  }

  /** When to reconcile {@code policy} again to retry writes admission did not tune, if any. */
  Optional<Duration> retryIn(String namespace, String policy) {
    return unanswered.retryIn(namespace + "/" + policy, clock.instant());
  }

  WorkloadOutcome tune(
      WorkloadKind<?> kind,
      HasMetadata workload,
      String policy,
      PolicySettings settings,
      FindingMemo memo,
      Consumer<HasMetadata> written) {
    String uid = workload.getMetadata().getUid();
    String resourceVersion = workload.getMetadata().getResourceVersion();
    var unchanged = memo.reuse(uid, resourceVersion, settings);
    if (unchanged.isPresent()) {
      return unchanged.get();
    }
    TuningPlan plan = plan(kind, workload, settings, policy);
    WorkloadEvaluation evaluation = plan.evaluation();
    // An operator restart must not announce every workload's values again: at the first reconcile
    // after a start, values of a workload created before it were there before it. Its own writes
    // it always reports.
    boolean announceTuned = memo.committedOnce() || createdSinceStart(workload);
    if (settings.mode() == Mode.Inject) {
      // Its pods do not inherit the workload's own annotations: nothing is injected, nothing set.
      Finding misplaced = Injection.optInOnWorkload();
      report(kind, workload, plan, settings, memo, announceTuned, List.of(misplaced));
      WorkloadOutcome outcome =
          Outcomes.withFinding(kind, name(workload), evaluation, WorkloadState.Skipped, misplaced);
      memo.settled(uid, resourceVersion, settings, outcome);
      return outcome;
    }
    report(kind, workload, plan, settings, memo, announceTuned, List.of());
    if (settings.mode() != Mode.Enforce || !plan.changes()) {
      WorkloadOutcome outcome = Outcomes.of(kind, name(workload), evaluation);
      memo.settled(uid, resourceVersion, settings, outcome);
      return outcome;
    }
    if (!kind.templateMutable()) {
      String detail = "not tuned when created, and its pod template cannot change: it runs untuned";
      Finding untuned = Finding.notice(Reasons.JOB_CREATED_UNTUNED, null, detail);
      return Outcomes.withFinding(kind, name(workload), evaluation, WorkloadState.Pending, untuned);
    }
    String policyId = policyId(workload, policy);
    var permit = unanswered.permit(policyId, uid, resourceVersion, clock.instant());
    if (permit == UnansweredWrites.Permit.WAIT) {
      return notTunedByAdmission(kind, workload, evaluation, false);
    }
    try {
      HasMetadata result = writer.admitAgain(kind, workload);
      patched.increment();
      denials.succeeded(policyId);
      TuningPlan after = plan(kind, result, settings, policy);
      if (after.withheld()) {
        // The cache keeps workloads without last-applied, so only the stored object shows that
        // the record cannot fit: its admission withheld the values, and so does the operator.
        log.info(
            "Not tuning {} {}: its record would take the annotations past 256 KiB",
            kind.kind(),
            id(workload));
        report(kind, result, after, settings, memo, true, List.of());
        WorkloadOutcome outcome = Outcomes.of(kind, name(workload), after.evaluation());
        memo.settled(uid, result.getMetadata().getResourceVersion(), settings, outcome);
        return outcome;
      }
      if (after.changes()) {
        unanswered.unanswered(
            policyId, uid, result.getMetadata().getResourceVersion(), clock.instant());
        return notTunedByAdmission(kind, workload, after.evaluation(), true);
      }
      unanswered.answered(policyId, uid);
      written.accept(result);
      log.info("Tuned {} {}: {}", kind.kind(), id(workload), Outcomes.describeChange(plan));
      // Reported from the state now stored, so the Event reads as for a workload tuned by its
      // own admission, and the next reconcile finds nothing new to tell.
      report(kind, result, after, settings, memo, true, List.of());
      WorkloadOutcome outcome = Outcomes.of(kind, name(workload), after.evaluation());
      memo.settled(uid, result.getMetadata().getResourceVersion(), settings, outcome);
      return outcome;
    } catch (KubernetesClientException e) {
      if (permit == UnansweredWrites.Permit.PROBE) {
        unanswered.probeFailed(policyId, clock.instant());
      }
      if (WriteDenials.isDenial(e)) {
        denials.refused(policyId, kind.kind(), id(workload), e);
      } else {
        log.warn(
            "Could not write {} {}: HTTP {} {}",
            kind.kind(),
            id(workload),
            e.getCode(),
            e.getStatus() == null ? "" : e.getStatus().getMessage());
      }
      String detail = "could not write the " + kind.kind() + ": HTTP " + e.getCode();
      Finding refused = Finding.notice(Reasons.WRITE_REFUSED, null, detail);
      return Outcomes.withFinding(kind, name(workload), evaluation, WorkloadState.Error, refused);
    }
  }

  /**
   * Gives back what the operator set in a workload no policy governs any more; {@code policy} is
   * the one whose values it carries, whose denials are logged once.
   */
  void release(WorkloadKind<?> kind, HasMetadata workload, String policy, PolicySettings settings) {
    TuningPlan plan = plan(kind, workload, null, null);
    if (settings.mode() != Mode.Enforce || !plan.changes() || !kind.templateMutable()) {
      return;
    }
    try {
      HasMetadata result = writer.admitAgain(kind, workload);
      patched.increment();
      denials.succeeded(policyId(workload, policy));
      if (plan(kind, result, null, null).changes()) {
        log.warn(
            "Could not give back {} {}: the admission webhook did not answer the operator's write",
            kind.kind(),
            id(workload));
        return;
      }
    } catch (KubernetesClientException e) {
      // Retried on the next reconcile: the record stays until the give-back succeeds.
      if (WriteDenials.isDenial(e)) {
        denials.refused(policyId(workload, policy), kind.kind(), id(workload), e);
      } else {
        log.warn("Could not give back {} {}: HTTP {}", kind.kind(), id(workload), e.getCode());
      }
      return;
    }
    String change = Outcomes.describeChange(plan);
    log.info("Released {} {}: {}", kind.kind(), id(workload), change);
    if (!plan.env().isEmpty()) {
      events.normal(
          kind,
          workload,
          "FlagsRemoved",
          "No longer governed by a RuntimePolicy, the user's own values are back: " + change);
    }
  }

  private WorkloadOutcome notTunedByAdmission(
      WorkloadKind<?> kind, HasMetadata workload, WorkloadEvaluation evaluation, boolean wrote) {
    if (wrote) {
      log.warn(
          "Could not tune {} {}: the mutating webhook did not set the values in the operator's"
              + " write; check its MutatingWebhookConfiguration and that the API server reaches"
              + " the operator's webhook Service (retried with backoff)",
          kind.kind(),
          id(workload));
    }
    String detail =
        "the webhook did not tune the operator's write: check its registration and Service;"
            + " retrying";
    Finding finding = Finding.notice(Reasons.ADMISSION_DID_NOT_TUNE, null, detail);
    return Outcomes.withFinding(kind, name(workload), evaluation, WorkloadState.Error, finding);
  }

  private void report(
      WorkloadKind<?> kind,
      HasMetadata workload,
      TuningPlan plan,
      PolicySettings settings,
      FindingMemo memo,
      boolean announceTuned,
      List<Finding> more) {
    List<String> keys = new ArrayList<>();
    plan.evaluation()
        .findings()
        .forEach(f -> keys.add(f.severity() + "|" + f.reason() + "|" + f.message()));
    more.forEach(f -> keys.add(f.severity() + "|" + f.reason() + "|" + f.message()));
    // The values in place, whoever's write set them (its admission or the operator's): an Event
    // once per change of them, as for findings.
    ManagedEnv record = ManagedEnv.parse(annotation(workload, Annotations.MANAGED_ENV));
    if (plan.env().isEmpty() && !record.isEmpty()) {
      keys.add(TUNED_KEY + Outcomes.describeManaged(record, plan.evaluation()));
    }
    if (settings.mode() == Mode.Audit && !plan.env().isEmpty()) {
      keys.add("Normal|WouldTune|Audit mode: Enforce would set " + Outcomes.describeChange(plan));
    }
    for (String key : memo.newSince(workload.getMetadata().getUid(), keys)) {
      if (!announceTuned && key.startsWith(TUNED_KEY)) {
        continue;
      }
      String[] parts = key.split("\\|", 3);
      if (Finding.Severity.Violation.name().equals(parts[0])) {
        events.warning(kind, workload, parts[1], parts[2]);
      } else {
        events.normal(kind, workload, parts[1], parts[2]);
      }
    }
  }

  static TuningPlan plan(
      WorkloadKind<?> kind, HasMetadata workload, PolicySettings settings, String policy) {
    PodTemplateSpec template = kind.podTemplateOf(workload);
    return Tuning.plan(
        settings,
        policy,
        workload.getMetadata().getAnnotations(),
        template == null ? null : template.getSpec());
  }

  private boolean createdSinceStart(HasMetadata workload) {
    String created = workload.getMetadata().getCreationTimestamp();
    try {
      // The API server stamps whole seconds: one created in the start's own second counts as new
      // (a duplicate Event is better than a missing one).
      return created == null
          || !Instant.parse(created).isBefore(started.truncatedTo(ChronoUnit.SECONDS));
    } catch (DateTimeParseException e) {
      return true;
    }
  }

  private static String annotation(HasMetadata workload, String key) {
    var annotations = workload.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static String name(HasMetadata workload) {
    return workload.getMetadata().getName();
  }

  private static String policyId(HasMetadata workload, String policy) {
    return workload.getMetadata().getNamespace() + "/" + policy;
  }

  private static String id(HasMetadata workload) {
    return workload.getMetadata().getNamespace() + "/" + workload.getMetadata().getName();
  }
}
