package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.status.DeploymentOutcome;
import io.runtimepolicy.operator.status.RuntimePolicyStatusCalculator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile per RuntimePolicy: every Deployment in its namespace that names it is evaluated,
 * tuned where Enforce says so, and summarised in status; Deployments it tuned but no longer governs
 * get their flags back. Writes happen only when something differs.
 */
@ControllerConfiguration(name = RuntimePolicyReconciler.NAME)
public class RuntimePolicyReconciler implements Reconciler<RuntimePolicy> {

  public static final String NAME = "runtimepolicy";

  private static final Logger log = LoggerFactory.getLogger(RuntimePolicyReconciler.class);

  private final ReconcilerContext ctx;
  private final DeploymentTuner tuner;
  private final Map<ResourceID, FindingMemo> memos = new ConcurrentHashMap<>();
  private final StatusWrites statusWrites = new StatusWrites();

  public RuntimePolicyReconciler(ReconcilerContext ctx) {
    this.ctx = ctx;
    this.tuner =
        new DeploymentTuner(
            new DeploymentPatcher(ctx.client()), ctx.events(), ctx.patchedCounter());
  }

  @Override
  public List<EventSource<?, RuntimePolicy>> prepareEventSources(
      EventSourceContext<RuntimePolicy> context) {
    ctx.policies().use(context.getPrimaryCache());
    DeploymentMapper mapper = new DeploymentMapper(ctx.provisioner(), ctx::watches);
    var config =
        InformerEventSourceConfiguration.from(Deployment.class, RuntimePolicy.class)
            .withSecondaryToPrimaryMapper(mapper)
            .withOnUpdateFilter(mapper)
            .withItemStore(new PrunedDeploymentStore())
            // Pages of 500 on the initial list: one response for every Deployment of a big cluster
            // would be parsed in one piece and grow the heap for good.
            .withInformerListLimit(500L);
    // JOSDK runs one informer per namespace, all on this one store, and each relist would drop
    // the others' items: several namespaces are watched through one all-namespaces informer,
    // and the mapper ignores Deployments outside them.
    if (ctx.watchNamespaces().size() == 1) {
      config.withNamespaces(ctx.watchNamespaces());
    } else {
      config.withWatchAllNamespaces();
    }
    if (!ctx.deploymentLabelSelector().isBlank()) {
      config.withLabelSelector(ctx.deploymentLabelSelector());
    }
    return List.of(new InformerEventSource<>(config.build(), context));
  }

  @Override
  public UpdateControl<RuntimePolicy> reconcile(
      RuntimePolicy policy, Context<RuntimePolicy> context) {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    PolicySettings settings = PolicySettings.from(policy.getSpec());
    InformerEventSource<Deployment, RuntimePolicy> deployments = deploymentSource(context);
    FindingMemo memo =
        memos.computeIfAbsent(ResourceID.fromResource(policy), id -> new FindingMemo());
    List<CompletableFuture<DeploymentOutcome>> tuning = new ArrayList<>();
    for (Deployment cached : deployments.list(namespace, d -> concerns(d, name)).toList()) {
      Deployment deployment = deployments.get(ResourceID.fromResource(cached)).orElse(cached);
      var annotations = deployment.getMetadata().getAnnotations();
      if (Annotations.governingPolicy(annotations).filter(name::equals).isPresent()) {
        // The API server is the bottleneck of a big namespace: patches go out in parallel.
        tuning.add(
            CompletableFuture.supplyAsync(
                () ->
                    tuner.tune(
                        deployment,
                        name,
                        settings,
                        memo,
                        written -> remember(deployments, deployment, written)),
                ctx.writers()));
      } else if (!governedByAnotherPolicy(annotations, namespace, context)) {
        tuner.release(deployment, settings);
      }
    }
    List<DeploymentOutcome> outcomes = tuning.stream().map(CompletableFuture::join).toList();
    memo.commit();
    RuntimePolicyStatus status =
        RuntimePolicyStatusCalculator.compute(
            policy.getStatus(),
            policy.getMetadata().getGeneration(),
            outcomes,
            ctx.resultsLimit(),
            ctx.clock().instant());
    log.debug("Reconciled RuntimePolicy {}/{}: {} targets", namespace, name, outcomes.size());
    if (!statusWrites.needsWrite(
        ResourceID.fromResource(policy),
        policy.getMetadata().getResourceVersion(),
        policy.getStatus(),
        status)) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.patchStatus(withStatus(policy, status));
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

  /** Deployments naming this policy, and those carrying its flags. */
  private static boolean concerns(Deployment deployment, String policy) {
    var annotations = deployment.getMetadata().getAnnotations();
    return annotations != null
        && (Annotations.governingPolicy(annotations).filter(policy::equals).isPresent()
            || policy.equals(annotations.get(Annotations.TUNED_BY)));
  }

  /** Another existing policy takes over: releasing here would only flap the flags. */
  private static boolean governedByAnotherPolicy(
      Map<String, String> annotations, String namespace, Context<RuntimePolicy> context) {
    return Annotations.governingPolicy(annotations)
        .map(other -> context.getPrimaryCache().get(new ResourceID(other, namespace)).isPresent())
        .orElse(false);
  }

  private static void remember(
      InformerEventSource<Deployment, RuntimePolicy> source,
      Deployment before,
      Deployment written) {
    source.handleRecentResourceUpdate(
        ResourceID.fromResource(written), PrunedDeploymentStore.prune(written), before);
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<Deployment, RuntimePolicy> deploymentSource(
      Context<RuntimePolicy> context) {
    return (InformerEventSource<Deployment, RuntimePolicy>)
        context.eventSourceRetriever().getEventSourceFor(Deployment.class);
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
