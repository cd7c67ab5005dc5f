package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.status.RuntimePolicyStatusCalculator;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import io.runtimepolicy.operator.workload.PodOwner;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile per RuntimePolicy: every workload of every governed kind in its namespace that
 * names it is evaluated, tuned where Enforce says so and admission did not, and summarised in
 * status; workloads it tuned but no longer governs get the user's values back. Writes happen only
 * when something differs. In Inject mode no workload is written: the status counts the pods ({@link
 * InjectedPodReport}). A reconcile woken by workload events looks at those workloads alone and
 * summarises the rest from {@link PolicyOutcomes}; the summary itself waits for the status write's
 * turn ({@link StatusWrites}), so a burst of creates costs each create its own evaluation only.
 */
// Every event, a policy's delete too, reaches reconcile: that is where what it held is dropped.
@ControllerConfiguration(name = RuntimePolicyReconciler.NAME, triggerReconcilerOnAllEvents = true)
public class RuntimePolicyReconciler implements Reconciler<RuntimePolicy> {

  public static final String NAME = "runtimepolicy";

  private static final Logger log = LoggerFactory.getLogger(RuntimePolicyReconciler.class);

  private final ReconcilerContext ctx;
  private final HeldState held;
  private final WorkloadTuner tuner;
  private final PolicyMemos memos;
  private final StatusWrites statusWrites;
  private final WorkloadChanges changes;
  private final ReportWrites reports;
  private final List<WorkloadSource<?>> sources = new ArrayList<>();
  private InjectedPodReport injected;
  private StalePodReport stalePods;

  public RuntimePolicyReconciler(ReconcilerContext ctx) {
    this.ctx = ctx;
    this.held = new HeldState(ctx.registry());
    this.memos = held.register("PolicyMemos", new PolicyMemos());
    this.statusWrites = held.register("StatusWrites", new StatusWrites());
    this.changes = held.register("WorkloadChanges", new WorkloadChanges());
    this.reports =
        ctx.reports() == null
            ? null
            : held.register(
                "ReportWrites",
                new ReportWrites(ctx.reports(), ctx.registry(), ctx.resultsLimit()));
    this.tuner =
        new WorkloadTuner(
            new WorkloadWriter(ctx.client()),
            ctx.events(),
            ctx.patchedCounter(),
            ctx.clock(),
            held);
  }

  @Override
  public List<EventSource<?, RuntimePolicy>> prepareEventSources(
      EventSourceContext<RuntimePolicy> context) {
    ctx.policies().use(context.getPrimaryCache());
    sources.clear();
    WorkloadKinds.all()
        .forEach(kind -> sources.add(WorkloadSource.create(kind, ctx, context, changes, held)));
    List<EventSource<?, RuntimePolicy>> all =
        new ArrayList<>(
            sources.stream().<EventSource<?, RuntimePolicy>>map(WorkloadSource::informer).toList());
    ctx.podWorkloads().use(sources);
    stalePods = null;
    if (!ctx.stalePodScanInterval().isZero()) {
      StalePodScan scan =
          new StalePodScan(
              ctx.client(), ctx.podWorkloads(), ctx.clock(), ctx.stalePodScanInterval());
      stalePods =
          new StalePodReport(held.register("StalePodScan", scan), ctx.events(), this::cachedUid);
    }
    // Without the Pod webhook no pod is marked, and pods are not in the operator's RBAC.
    injected = null;
    if (ctx.injectEnabled()) {
      InjectedPodSource pods = InjectedPodSource.create(ctx, context);
      UntunedPodScan untuned =
          new UntunedPodScan(ctx.client(), ctx.clock(), ctx.untunedPodScanInterval());
      injected =
          new InjectedPodReport(
              pods, held.register("UntunedPodScan", untuned), ctx.events(), this::cachedUid);
      held.register("InjectedPodReport", injected);
      all.add(pods.informer());
    }
    if (ctx.reports() != null) {
      all.add(new ReportApiSource(ctx.reports(), context.getPrimaryCache()));
    }
    return all;
  }

  @Override
  public UpdateControl<RuntimePolicy> reconcile(
      RuntimePolicy policy, Context<RuntimePolicy> context) {
    if (context.isPrimaryResourceDeleted() || policy.isMarkedForDeletion()) {
      return forget(policy, context);
    }
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    ResourceID id = ResourceID.fromResource(policy);
    PolicySettings settings = PolicySettings.from(policy.getSpec());
    FindingMemo memo = memos.memo(id);
    Set<WorkloadChanges.Changed> changed = changes.take(id);
    PolicyOutcomes known = memos.outcomes(id);
    boolean knownCurrent =
        known != null && known.computedFor(policy.getMetadata().getUid(), settings);
    if (knownCurrent) {
      // The memos keep the settings per workload: one instance per policy version, not one per
      // reconcile (a few KB each, once seen 1,600 times over 2,500 workloads).
      settings = known.settings();
    }
    // A reconcile no workload event woke (the policy changed, a retry or a held-back status is
    // due, a resync) looks at every workload; one woken by events looks at theirs. Inject mode
    // reports pods from the same memo, which only a full pass replaces whole.
    boolean full = !knownCurrent || changed.isEmpty() || settings.mode() == Mode.Inject;
    // What was reported is committed once the pods' findings are in too (a stale pod's Event is
    // remembered with the workloads', or it would be announced again at the next reconcile).
    Runnable commit;
    if (full) {
      known = fullPass(policy, settings, memo);
      memos.outcomes(id, known);
      commit = memo::commit;
    } else {
      commit = lookAt(known, changed, namespace, name, settings, memo);
    }
    List<WorkloadOutcome> all = new ArrayList<>(known.all());
    String notReady = null;
    Optional<Duration> rescan = Optional.empty();
    if (settings.mode() == Mode.Inject) {
      if (injected == null) {
        notReady = injectNotEnabled(policy);
      } else {
        all.addAll(injected.outcomes(namespace, name, settings, memo));
      }
    } else if (stalePods != null && !all.isEmpty()) {
      all = stalePods.outcomes(namespace, name, all, memo);
      // Nothing else wakes the policy when a pod is resized: its pods are looked at again. A
      // reschedule replaces the resync, so only one sooner than the resync is asked for.
      if (stalePods.interval().compareTo(ctx.resyncPeriod()) < 0) {
        rescan = Optional.of(stalePods.interval());
      }
    }
    commit.run();
    log.debug("Reconciled RuntimePolicy {}/{}: {} targets", namespace, name, all.size());
    // Under a burst the summary of every workload waits for the next status write's turn.
    Optional<Duration> again = statusWrites.wait(id, ctx.clock().instant());
    UpdateControl<RuntimePolicy> control = UpdateControl.noUpdate();
    if (again.isEmpty()) {
      RuntimePolicyStatus status =
          RuntimePolicyStatusCalculator.compute(
              policy.getStatus(),
              policy.getMetadata().getGeneration(),
              all,
              ctx.resultsLimit(),
              ctx.clock().instant(),
              notReady,
              settings.problems());
      StatusWrites.Decision write =
          statusWrites.decide(
              id,
              policy.getMetadata().getResourceVersion(),
              policy.getStatus(),
              status,
              ctx.clock().instant());
      again = write.again();
      if (write.write()) {
        control = UpdateControl.patchStatus(withStatus(policy, status));
      }
      // The Report follows the status as written, so it is coalesced under bursts as the status is.
      if (reports != null && again.isEmpty()) {
        reports.publish(policy, all);
      }
    }
    // Nothing else would wake the policy for a held-back status, or when the webhook answers.
    Stream.of(again, tuner.retryIn(namespace, name), rescan)
        .flatMap(Optional::stream)
        .min(Duration::compareTo)
        .ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * A policy deleted, or being deleted (someone else's finalizer holds it; it was never reconciled
   * then either): what was kept for it goes, and, with its namespace's last policy, what was kept
   * for the namespace. Its workloads keep their values until their next write, as before.
   */
  private UpdateControl<RuntimePolicy> forget(
      RuntimePolicy policy, Context<RuntimePolicy> context) {
    String namespace = policy.getMetadata().getNamespace();
    boolean last =
        context.isPrimaryResourceDeleted()
            && context.getPrimaryCache().list(namespace).findAny().isEmpty();
    held.policyGone(ResourceID.fromResource(policy), last);
    log.debug("Forgot RuntimePolicy {}/{}", namespace, policy.getMetadata().getName());
    return UpdateControl.noUpdate();
  }

  /** A workload looked at, and its outcome once the tuner is done with it. */
  private record Visit(
      WorkloadChanges.Changed workload, String uid, CompletableFuture<WorkloadOutcome> outcome) {}

  private PolicyOutcomes fullPass(RuntimePolicy policy, PolicySettings settings, FindingMemo memo) {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    PolicyOutcomes fresh = new PolicyOutcomes(policy.getMetadata().getUid(), settings);
    List<Visit> visits = new ArrayList<>();
    for (WorkloadSource<?> source : sources) {
      visitAll(source, namespace, name, settings, memo, visits);
    }
    visits.forEach(v -> fresh.put(v.workload(), v.uid(), v.outcome().join()));
    return fresh;
  }

  private <T extends HasMetadata> void visitAll(
      WorkloadSource<T> source,
      String namespace,
      String name,
      PolicySettings settings,
      FindingMemo memo,
      List<Visit> visits) {
    for (T workload : source.concerning(namespace, name)) {
      visit(source, workload, name, settings, memo).ifPresent(visits::add);
    }
  }

  /**
   * Updates {@code known} for the workloads events marked, and those whose writes failed; returns
   * the memo's commit of what was seen.
   */
  private Runnable lookAt(
      PolicyOutcomes known,
      Set<WorkloadChanges.Changed> changed,
      String namespace,
      String name,
      PolicySettings settings,
      FindingMemo memo) {
    Set<WorkloadChanges.Changed> workloads = new HashSet<>(changed);
    workloads.addAll(known.failed());
    List<Visit> visits = new ArrayList<>();
    Set<String> gone = new HashSet<>();
    for (WorkloadChanges.Changed workload : workloads) {
      Optional<Visit> visit =
          source(workload.kind())
              .flatMap(s -> visitOne(s, namespace, workload.name(), name, settings, memo));
      if (visit.isPresent()) {
        visits.add(visit.get());
      } else {
        known.remove(workload).ifPresent(gone::add);
      }
    }
    Set<String> visited = new HashSet<>();
    for (Visit v : visits) {
      known.put(v.workload(), v.uid(), v.outcome().join()).ifPresent(gone::add);
      visited.add(v.uid());
    }
    return () -> memo.commitSome(visited, gone);
  }

  private <T extends HasMetadata> Optional<Visit> visitOne(
      WorkloadSource<T> source,
      String namespace,
      String workload,
      String name,
      PolicySettings settings,
      FindingMemo memo) {
    return source
        .concerning(namespace, workload, name)
        .flatMap(w -> visit(source, w, name, settings, memo));
  }

  /** Tunes a workload the policy governs, gives back one it no longer does; a visit if governed. */
  private <T extends HasMetadata> Optional<Visit> visit(
      WorkloadSource<T> source,
      T workload,
      String name,
      PolicySettings settings,
      FindingMemo memo) {
    var annotations = workload.getMetadata().getAnnotations();
    String namespace = workload.getMetadata().getNamespace();
    if (Annotations.governingPolicy(annotations).filter(name::equals).isPresent()) {
      // The API server is the bottleneck of a big namespace: writes go out in parallel.
      CompletableFuture<WorkloadOutcome> outcome =
          CompletableFuture.supplyAsync(
              () ->
                  tuner.tune(
                      source.kind(),
                      workload,
                      name,
                      settings,
                      memo,
                      written -> source.remember(workload, written)),
              ctx.writers());
      return Optional.of(
          new Visit(
              new WorkloadChanges.Changed(source.kind().kind(), workload.getMetadata().getName()),
              workload.getMetadata().getUid(),
              outcome));
    }
    if (ctx.governance().of(namespace, annotations).isEmpty()) {
      // Another policy that governs it takes over: releasing here would only flap the values.
      tuner.release(source.kind(), workload, name, settings);
    }
    return Optional.empty();
  }

  /** A Deployment behind its ReplicaSet: its uid from the cache, so kubectl describe shows it. */
  private String cachedUid(PodOwner owner, String namespace) {
    return source(owner.kind())
        .flatMap(s -> s.informer().get(new ResourceID(owner.name(), namespace)))
        .map(w -> w.getMetadata().getUid())
        .orElse(null);
  }

  private Optional<WorkloadSource<?>> source(String kind) {
    return sources.stream().filter(s -> s.kind().kind().equals(kind)).findFirst();
  }

  private String injectNotEnabled(RuntimePolicy policy) {
    if (memos.firstInjectRefusal(ResourceID.fromResource(policy))) {
      log.warn(
          "RuntimePolicy {}/{} is in Inject mode, but the operator runs without its Pod webhook:"
              + " install the chart with inject.enabled=true",
          policy.getMetadata().getNamespace(),
          policy.getMetadata().getName());
    }
    return "spec.mode Inject needs the Pod webhook: install the chart with inject.enabled=true";
  }

  @Override
  public ErrorStatusUpdateControl<RuntimePolicy> updateErrorStatus(
      RuntimePolicy policy, Context<RuntimePolicy> context, Exception e) {
    statusWrites.forget(ResourceID.fromResource(policy));
    RuntimePolicyStatus status =
        RuntimePolicyStatusCalculator.error(
            policy.getStatus(), policy.getMetadata().getGeneration(), ctx.clock().instant());
    return ErrorStatusUpdateControl.patchStatus(withStatus(policy, status));
  }

  /** A fresh object holding only identity and status, so the patch cannot touch the spec. */
  private static RuntimePolicy withStatus(RuntimePolicy policy, RuntimePolicyStatus status) {
    RuntimePolicy fresh = new RuntimePolicy();
    fresh.getMetadata().setName(policy.getMetadata().getName());
    fresh.getMetadata().setNamespace(policy.getMetadata().getNamespace());
    fresh.setSpec(null);
    fresh.setStatus(status);
    return fresh;
  }
}
