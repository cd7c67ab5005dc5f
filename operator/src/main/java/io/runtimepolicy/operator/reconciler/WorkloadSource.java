package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.workload.WorkloadKind;
import java.util.List;
import java.util.Optional;

/** One governed kind's informer, with the pruned cache and the event mapping every kind shares. */
final class WorkloadSource<T extends HasMetadata> {

  private final WorkloadKind<T> kind;
  private final PrunedWorkloadStore<T> store;
  private final InformerEventSource<T, RuntimePolicy> informer;

  private WorkloadSource(
      WorkloadKind<T> kind,
      PrunedWorkloadStore<T> store,
      InformerEventSource<T, RuntimePolicy> informer) {
    this.kind = kind;
    this.store = store;
    this.informer = informer;
  }

  /**
   * {@code changes}: where its events mark the workloads they concern, for existing policies;
   * {@code held}: told of each workload deleted, and holds its mapper.
   */
  static <T extends HasMetadata> WorkloadSource<T> create(
      WorkloadKind<T> kind,
      ReconcilerContext ctx,
      EventSourceContext<RuntimePolicy> context,
      WorkloadChanges changes,
      HeldState held) {
    WorkloadMapper<T> mapper =
        new WorkloadMapper<>(
            kind.kind(),
            ctx.provisioner(),
            ctx::watches,
            (policy, workload) -> {
              // A name no policy has would hold its marks for good.
              if (ctx.policies()
                  .get(policy.getNamespace().orElse(null), policy.getName())
                  .isPresent()) {
                changes.mark(policy, kind.kind(), workload);
              }
            },
            held::workloadGone);
    held.register("WorkloadMapper." + kind.kind(), mapper);
    PrunedWorkloadStore<T> store =
        new PrunedWorkloadStore<>(
            kind,
            w -> {
              var template = kind.podTemplate(w);
              return template != null
                  && template.getMetadata() != null
                  && Annotations.isGoverned(template.getMetadata().getAnnotations());
            });
    var config =
        InformerEventSourceConfiguration.from(kind.type(), RuntimePolicy.class)
            .withName(kind.plural())
            .withSecondaryToPrimaryMapper(mapper)
            .withPrimaryToSecondaryMapper(
                PrunedInformer.secondariesIn(
                    store,
                    (w, policy) ->
                        Annotations.concernedPolicies(w.getMetadata().getAnnotations())
                            .contains(policy.getMetadata().getName())))
            .withOnUpdateFilter(mapper)
            .withOnDeleteFilter((workload, finalStateUnknown) -> mapper.deleted(workload))
            .withItemStore(store)
            // Pages of 500 on the initial list: one response for every workload of a big cluster
            // would be parsed in one piece and grow the heap for good.
            .withInformerListLimit(500L);
    watchNamespaces(config, ctx);
    if (!ctx.deploymentLabelSelector().isBlank()) {
      config.withLabelSelector(ctx.deploymentLabelSelector());
    }
    return new WorkloadSource<>(kind, store, new PrunedInformer<>(config.build(), context));
  }

  /**
   * JOSDK runs one informer per namespace, all on the one store, and each relist would drop the
   * others' items: several namespaces are watched through one all-namespaces informer, and the
   * mappers ignore objects outside them.
   */
  static void watchNamespaces(
      InformerEventSourceConfiguration.Builder<?> config, ReconcilerContext ctx) {
    if (ctx.watchNamespaces().size() == 1) {
      config.withNamespaces(ctx.watchNamespaces());
    } else {
      config.withWatchAllNamespaces();
    }
  }

  WorkloadKind<T> kind() {
    return kind;
  }

  InformerEventSource<T, RuntimePolicy> informer() {
    return informer;
  }

  /** The workload {@code name} of {@code namespace}, if it concerns {@code policy}. */
  Optional<T> concerning(String namespace, String name, String policy) {
    return informer
        .get(new ResourceID(name, namespace))
        .filter(
            w -> Annotations.concernedPolicies(w.getMetadata().getAnnotations()).contains(policy));
  }

  /** The workloads of {@code namespace} that concern {@code policy}, freshest copy first. */
  List<T> concerning(String namespace, String policy) {
    return informer
        .list(
            namespace,
            w -> Annotations.concernedPolicies(w.getMetadata().getAnnotations()).contains(policy))
        .map(cached -> informer.get(ResourceID.fromResource(cached)).orElse(cached))
        .toList();
  }

  /** Tells the informer about the operator's own write, so its event does not reconcile again. */
  void remember(T before, HasMetadata written) {
    T typed = store.prune(kind.type().cast(written));
    if (typed != null) {
      informer.handleRecentResourceUpdate(ResourceID.fromResource(typed), typed, before);
    }
  }
}
