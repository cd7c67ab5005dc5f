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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile per RuntimePolicy: every workload of every governed kind in its namespace that
 * names it is evaluated, tuned where Enforce says so and admission did not, and summarised in
 * status; workloads it tuned but no longer governs get the user's values back. Writes happen only
 * when something differs. In Inject mode no workload is written: the status counts the pods ({@link
 * InjectedPodReport}).
 */
@ControllerConfiguration(name = RuntimePolicyReconciler.NAME)
public class RuntimePolicyReconciler implements Reconciler<RuntimePolicy> {

  public static final String NAME = "runtimepolicy";

  private static final Logger log = LoggerFactory.getLogger(RuntimePolicyReconciler.class);

  private final ReconcilerContext ctx;
  private final WorkloadTuner tuner;
  private final Map<ResourceID, FindingMemo> memos = new ConcurrentHashMap<>();
  private final StatusWrites statusWrites = new StatusWrites();
  private final List<WorkloadSource<?>> sources = new ArrayList<>();
  private final Set<ResourceID> injectRefused = ConcurrentHashMap.newKeySet();
  private InjectedPodReport injected;

  public RuntimePolicyReconciler(ReconcilerContext ctx) {
    this.ctx = ctx;
    this.tuner =
        new WorkloadTuner(
            new WorkloadWriter(ctx.client()), ctx.events(), ctx.patchedCounter(), ctx.clock());
  }

  @Override
  public List<EventSource<?, RuntimePolicy>> prepareEventSources(
      EventSourceContext<RuntimePolicy> context) {
    ctx.policies().use(context.getPrimaryCache());
    sources.clear();
    WorkloadKinds.all().forEach(kind -> sources.add(WorkloadSource.create(kind, ctx, context)));
    List<EventSource<?, RuntimePolicy>> all =
        new ArrayList<>(
            sources.stream().<EventSource<?, RuntimePolicy>>map(WorkloadSource::informer).toList());
    // Without the Pod webhook no pod is marked, and pods are not in the operator's RBAC.
    injected = null;
    if (ctx.injectEnabled()) {
      InjectedPodSource pods = InjectedPodSource.create(ctx, context);
      injected =
          new InjectedPodReport(
              pods,
              new UntunedPodScan(ctx.client(), ctx.clock(), ctx.untunedPodScanInterval()),
              ctx.events(),
              this::cachedUid);
      all.add(pods.informer());
    }
    return all;
  }

  @Override
  public UpdateControl<RuntimePolicy> reconcile(
      RuntimePolicy policy, Context<RuntimePolicy> context) {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    PolicySettings settings = PolicySettings.from(policy.getSpec());
    FindingMemo memo =
        memos.computeIfAbsent(ResourceID.fromResource(policy), id -> new FindingMemo());
    List<CompletableFuture<WorkloadOutcome>> tuning = new ArrayList<>();
    for (WorkloadSource<?> source : sources) {
      visit(source, namespace, name, settings, memo, tuning);
    }
    List<WorkloadOutcome> outcomes =
        new ArrayList<>(tuning.stream().map(CompletableFuture::join).toList());
    String notReady = null;
    if (settings.mode() == Mode.Inject) {
      if (injected == null) {
        notReady = injectNotEnabled(policy);
      } else {
        outcomes.addAll(injected.outcomes(namespace, name, settings, memo));
      }
    }
    memo.commit();
    RuntimePolicyStatus status =
        RuntimePolicyStatusCalculator.compute(
            policy.getStatus(),
            policy.getMetadata().getGeneration(),
            outcomes,
            ctx.resultsLimit(),
            ctx.clock().instant(),
            notReady);
    log.debug("Reconciled RuntimePolicy {}/{}: {} targets", namespace, name, outcomes.size());
    StatusWrites.Decision write =
        statusWrites.decide(
            ResourceID.fromResource(policy),
            policy.getMetadata().getResourceVersion(),
            policy.getStatus(),
            status,
            ctx.clock().instant());
    UpdateControl<RuntimePolicy> control =
        write.write()
            ? UpdateControl.patchStatus(withStatus(policy, status))
            : UpdateControl.noUpdate();
    // Nothing else would wake the policy for a held-back status, or when the webhook answers.
    Stream.of(write.again(), tuner.retryIn(namespace, name))
        .flatMap(Optional::stream)
        .min(Duration::compareTo)
        .ifPresent(control::rescheduleAfter);
    return control;
  }

  private <T extends HasMetadata> void visit(
      WorkloadSource<T> source,
      String namespace,
      String name,
      PolicySettings settings,
      FindingMemo memo,
      List<CompletableFuture<WorkloadOutcome>> tuning) {
    for (T workload : source.concerning(namespace, name)) {
      var annotations = workload.getMetadata().getAnnotations();
      if (Annotations.governingPolicy(annotations).filter(name::equals).isPresent()) {
        // The API server is the bottleneck of a big namespace: writes go out in parallel.
        tuning.add(
            CompletableFuture.supplyAsync(
                () ->
                    tuner.tune(
                        source.kind(),
                        workload,
                        name,
                        settings,
                        memo,
                        written -> source.remember(workload, written)),
                ctx.writers()));
      } else if (ctx.governance().of(namespace, annotations).isEmpty()) {
        // Another policy that governs it takes over: releasing here would only flap the values.
        tuner.release(source.kind(), workload, name, settings);
      }
    }
  }

  /** A Deployment behind its ReplicaSet: its uid from the cache, so kubectl describe shows it. */
  private String cachedUid(PodOwner owner, String namespace) {
    return sources.stream()
        .filter(s -> s.kind().kind().equals(owner.kind()))
        .findFirst()
        .flatMap(s -> s.informer().get(new ResourceID(owner.name(), namespace)))
        .map(w -> w.getMetadata().getUid())
        .orElse(null);
  }

  private String injectNotEnabled(RuntimePolicy policy) {
    if (injectRefused.add(ResourceID.fromResource(policy))) {
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
