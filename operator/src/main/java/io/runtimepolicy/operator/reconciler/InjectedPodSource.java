package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.Gauge;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Inject mode's view of running pods: one informer on exactly the pods the webhook marked ({@link
 * Annotations#INJECTED_LABEL}, a server-side label selector), so memory grows with governed pods
 * only; each kept with just what the census reads. A pod event wakes the policy that governs it.
 */
final class InjectedPodSource {

  /** The selector of the pod watch: the label exists. */
  static final String SELECTOR = Annotations.INJECTED_LABEL;

  private final InformerEventSource<Pod, RuntimePolicy> informer;

  private InjectedPodSource(InformerEventSource<Pod, RuntimePolicy> informer) {
    this.informer = informer;
  }

  static InjectedPodSource create(
      ReconcilerContext ctx, EventSourceContext<RuntimePolicy> context) {
    Mapper mapper = new Mapper(ctx::watches);
    PodStore store = new PodStore();
    var config =
        InformerEventSourceConfiguration.from(Pod.class, RuntimePolicy.class)
            .withName("injected-pods")
            .withLabelSelector(SELECTOR)
            .withSecondaryToPrimaryMapper(mapper)
            .withPrimaryToSecondaryMapper(
                PrunedInformer.secondariesIn(
                    store,
                    (pod, policy) ->
                        mapper.toPrimaryResourceIDs(pod).contains(ResourceID.fromResource(policy))))
            .withOnUpdateFilter(mapper)
            .withInformerListLimit(500L);
    WorkloadSource.watchNamespaces(config, ctx);
    config.withItemStore(store);
    Gauge.builder("runtimepolicy.injected.pods.held", store, PodStore::size)
        .description("Pods the operator's label-selected pod watch holds (Inject mode)")
        .register(ctx.registry());
    return new InjectedPodSource(new PrunedInformer<>(config.build(), context));
  }

  InformerEventSource<Pod, RuntimePolicy> informer() {
    return informer;
  }

  /** The running injected pods of {@code namespace} that {@code policy} governs. */
  List<Pod> governedBy(String namespace, String policy) {
    return informer
        .list(
            namespace,
            pod ->
                Annotations.governingPolicy(pod.getMetadata().getAnnotations())
                    .filter(policy::equals)
                    .isPresent())
        .filter(PodCensus::running)
        .toList();
  }

  /**
   * A pod wakes the policy it names. Updates only when the census could change: a pod starts
   * terminating or finishes, its spec changes (a resize moves its generation), or the operator's
   * annotations or label change; the kubelet's status writes do not.
   */
  static final class Mapper implements SecondaryToPrimaryMapper<Pod>, OnUpdateFilter<Pod> {

    private final Predicate<String> watched;

    Mapper(Predicate<String> watched) {
      this.watched = watched;
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(Pod pod) {
      String namespace = pod.getMetadata().getNamespace();
      if (!watched.test(namespace)) {
        return Set.of();
      }
      return Annotations.governingPolicy(pod.getMetadata().getAnnotations())
          .map(name -> Set.of(new ResourceID(name, namespace)))
          .orElse(Set.of());
    }

    @Override
    public boolean accept(Pod newPod, Pod oldPod) {
      return PodCensus.running(newPod) != PodCensus.running(oldPod)
          || !Objects.equals(
              newPod.getMetadata().getGeneration(), oldPod.getMetadata().getGeneration())
          || !Objects.equals(own(newPod), own(oldPod))
          || !Objects.equals(
              newPod.getMetadata().getLabels().get(SELECTOR),
              oldPod.getMetadata().getLabels().get(SELECTOR));
    }

    private static Map<String, String> own(Pod pod) {
      return PrunedWorkloadStore.ownAnnotations(pod.getMetadata().getAnnotations());
    }
  }

  /**
   * The pod cache: identity and generation, owner, the operator's annotations, containers' env and
   * resources.
   */
  static final class PodStore extends PruningStore<Pod> {

    @Override
    Pod prune(Pod pod) {
      return pruned(pod);
    }

    static Pod pruned(Pod pod) {
      ObjectMeta meta = pod.getMetadata();
      Map<String, String> labels = new HashMap<>(2);
      if (meta.getLabels() != null) {
        copy(meta.getLabels(), labels, SELECTOR);
        copy(meta.getLabels(), labels, "pod-template-hash");
      }
      Pod pruned = new Pod();
      pruned.setMetadata(
          new ObjectMetaBuilder()
              .withName(meta.getName())
              .withNamespace(meta.getNamespace() == null ? null : meta.getNamespace().intern())
              .withUid(meta.getUid())
              .withResourceVersion(meta.getResourceVersion())
              .withGeneration(meta.getGeneration())
              .withCreationTimestamp(meta.getCreationTimestamp())
              .withDeletionTimestamp(meta.getDeletionTimestamp())
              .withOwnerReferences(meta.getOwnerReferences())
              .withLabels(labels)
              .withAnnotations(CompactObjects.ownAnnotations(meta.getAnnotations()))
              .build());
      PodSpec spec = new PodSpec();
      if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
        spec.setContainers(
            pod.getSpec().getContainers().stream().map(InjectedPodSource::prune).toList());
      }
      pruned.setSpec(spec);
      if (pod.getStatus() != null && pod.getStatus().getPhase() != null) {
        PodStatus status = new PodStatus();
        status.setPhase(pod.getStatus().getPhase());
        pruned.setStatus(status);
      }
      return pruned;
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String key) {
      String value = from.get(key);
      if (value != null) {
        to.put(key, value);
      }
    }
  }

  private static Container prune(Container container) {
    return new ContainerBuilder()
        .withName(container.getName())
        .withEnv(container.getEnv())
        .withResources(container.getResources())
        .withLivenessProbe(container.getLivenessProbe())
        .build();
  }
}
