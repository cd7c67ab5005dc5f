package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runtimepolicy.operator.policy.Annotations;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pod updates wake the policy: the census's inputs, a resize among them; not status. */
class InjectedPodSourceTest {

  private final InjectedPodSource.Mapper mapper = new InjectedPodSource.Mapper(ns -> true);

  @Test
  void aResizeMovesTheGenerationAndWakesThePolicyEvenAgainstThePrunedCopy() {
    Pod before = pod(1L, "2", "Running");
    Pod resized = pod(2L, "4", "Running");

    Pod cached = InjectedPodSource.PodStore.pruned(before);

    assertThat(cached.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(mapper.accept(resized, cached)).isTrue();
  }

  @Test
  void theKubeletsStatusWritesDoNot() {
    Pod cached = InjectedPodSource.PodStore.pruned(pod(2L, "4", "Pending"));

    assertThat(mapper.accept(pod(2L, "4", "Running"), cached)).isFalse();
  }

  private static Pod pod(long generation, String cpu, String phase) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("web-1")
        .withNamespace("shop")
        .withGeneration(generation)
        .withLabels(Map.of(Annotations.INJECTED_LABEL, "true"))
        .withAnnotations(Map.of(Annotations.JAVA_TUNING, "enabled"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withNewResources()
        .addToLimits("cpu", new Quantity(cpu))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }
}
