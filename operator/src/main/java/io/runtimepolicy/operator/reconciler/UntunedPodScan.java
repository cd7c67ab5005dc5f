package io.runtimepolicy.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.workload.PodOwner;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;

/**
 * Finds the governed pods the Pod webhook never saw ({@code failurePolicy: Ignore} lets a pod be
 * created while it is down): those carry the opt-in but not the injected label. The watch holds
 * marked pods only, so these are found by a paged list of the unmarked pods of a namespace with an
 * Inject policy; only the counts are kept.
 */
final class UntunedPodScan extends PodScan<PodCensus.Untuned> {

  UntunedPodScan(KubernetesClient client, Clock clock, Duration interval) {
    this(unmarked(client), clock, interval);
  }

  UntunedPodScan(Pages pages, Clock clock, Duration interval) {
    super(pages, clock, interval);
  }

  @Override
  Counter<PodCensus.Untuned> counter() {
    return (pod, byPolicy) -> {
      if (!PodCensus.running(pod)) {
        return;
      }
      Annotations.governingPolicy(pod.getMetadata().getAnnotations())
          .ifPresent(
              policy ->
                  byPolicy
                      .computeIfAbsent(policy, p -> new HashMap<>())
                      .merge(
                          PodOwner.of(pod),
                          new PodCensus.Untuned(1, InjectedPodSource.PodStore.pruned(pod)),
                          PodCensus.Untuned::plus));
    };
  }
}
