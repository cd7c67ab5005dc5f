package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.Injection;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.TuningPlan;
import io.runtimepolicy.operator.workload.PodOwner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inject mode's status per owner: current, stale and untuned pods, from the one engine. */
class PodCensusTest {

  private static final PolicySettings CEIL = settings(Rounding.Ceil);
  private static final PolicySettings FLOOR = settings(Rounding.Floor);
  private static final PodOwner WEB = new PodOwner("apps/v1", "Deployment", "web", null);

  @Test
  void podsInjectedUnderThePolicyAsItIsAreCurrent() {
    List<PodCensus.Entry> entries =
        PodCensus.count(
            CEIL, "default", List.of(injected("a", CEIL), injected("b", CEIL)), Map.of());

    assertThat(entries)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.owner()).isEqualTo(WEB);
              assertThat(e.outcome().pods().getCurrent()).isEqualTo(2);
              assertThat(e.outcome().pods().getStale()).isZero();
              assertThat(e.outcome().state()).isEqualTo(WorkloadState.Tuned);
              assertThat(e.outcome().flagsMatch()).isTrue();
              assertThat(e.outcome().containers())
                  .singleElement()
                  .satisfies(c -> assertThat(c.getActiveProcessorCount()).isEqualTo(2));
            });
  }

  @Test
  void aPolicyChangeMakesRunningPodsStaleWithTheWayToRestartThem() {
    List<PodCensus.Entry> entries =
        PodCensus.count(
            FLOOR, "default", List.of(injected("a", CEIL), injected("b", CEIL)), Map.of());

    var outcome = entries.get(0).outcome();
    assertThat(outcome.pods().getStale()).isEqualTo(2);
    assertThat(outcome.pods().getCurrent()).isZero();
    assertThat(outcome.state()).isEqualTo(WorkloadState.Pending);
    assertThat(outcome.flagsMatch()).isFalse();
    assertThat(outcome.messages())
        .contains(
            "2 pods run values the policy no longer computes: kubectl rollout restart deployment/web");
    // The containers show what the policy computes now.
    assertThat(outcome.containers().get(0).getActiveProcessorCount()).isEqualTo(1);
  }

  @Test
  void untunedPodsAreCountedEvenForAnOwnerWithNoInjectedPod() {
    Pod missed = pod("m");
    var entries =
        PodCensus.count(CEIL, "default", List.of(), Map.of(WEB, new PodCensus.Untuned(5, missed)));

    var outcome = entries.get(0).outcome();
    assertThat(outcome.pods().getUntuned()).isEqualTo(5);
    assertThat(outcome.state()).isEqualTo(WorkloadState.Pending);
    assertThat(outcome.messages())
        .contains("5 pods created untuned (no webhook): kubectl rollout restart deployment/web");
    assertThat(outcome.containers())
        .singleElement()
        .satisfies(c -> assertThat(c.getActiveProcessorCount()).isEqualTo(2));
  }

  @Test
  void podsResizedInPlaceAreStaleWithTheirReasonNamedAndTheWayToFixThem() {
    List<Pod> pods = new ArrayList<>();
    for (String name : List.of("e", "d", "c", "b")) {
      pods.add(resized(injected(name, CEIL), "3"));
    }
    pods.add(injected("a", CEIL));
    Pod memoryOnly = injected("m", CEIL);
    memoryOnly.getMetadata().setGeneration(2L);
    pods.add(memoryOnly);

    PodCensus.Entry entry = PodCensus.count(CEIL, "default", pods, Map.of()).get(0);
    var outcome = entry.outcome();

    assertThat(outcome.pods().getStale()).isEqualTo(4);
    assertThat(outcome.pods().getCurrent()).isEqualTo(2);
    assertThat(outcome.pods().getStaleReasons()).containsExactly(Map.entry("ResizedInPlace", 4));
    assertThat(outcome.state()).isEqualTo(WorkloadState.Pending);
    // The Event's text, whole; status keeps its usual cut.
    String text =
        "4 pods resized in place keep values for their old resources: kubectl rollout restart"
            + " deployment/web (pods web-7d9f8-b, web-7d9f8-c, web-7d9f8-d and 1 more)";
    assertThat(entry.findings())
        .filteredOn(f -> f.reason().equals("ResizedInPlace"))
        .singleElement()
        .satisfies(f -> assertThat(entry.eventText(f)).isEqualTo(text));
    assertThat(outcome.messages())
        .anySatisfy(f -> assertThat(text).startsWith(f.replace("...", "")))
        .noneMatch(f -> f.contains("no longer computes"));
  }

  @Test
  void aPolicyChangeAndAResizeAreCountedEachByItsReason() {
    List<Pod> pods = List.of(injected("a", CEIL), resized(injected("b", CEIL), "4"));

    var outcome = PodCensus.count(FLOOR, "default", pods, Map.of()).get(0).outcome();

    assertThat(outcome.pods().getStale()).isEqualTo(2);
    assertThat(outcome.pods().getStaleReasons())
        .containsExactly(Map.entry("PolicyChanged", 1), Map.entry("ResizedInPlace", 1));
    assertThat(outcome.messages())
        .contains(
            "1 pods run values the policy no longer computes: kubectl rollout restart deployment/web");
  }

  @Test
  void aResizedGoPodUnderACpuLimitIsToldOfLeaveLimitToRuntime() {
    Pod go = pod("g");
    go.getMetadata().getAnnotations().clear();
    go.getMetadata().getAnnotations().put(Annotations.GO_TUNING, "enabled");
    Pod injected = inject(go, CEIL);

    PodCensus.Entry entry =
        PodCensus.count(CEIL, "default", List.of(resized(injected, "4")), Map.of()).get(0);

    assertThat(entry.outcome().pods().getStaleReasons())
        .containsExactly(Map.entry("ResizedInPlace", 1));
    assertThat(entry.findings())
        .filteredOn(f -> f.reason().equals("ResizedInPlace"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(entry.eventText(f))
                    .isEqualTo(
                        "1 pods resized in place keep values for their old resources: kubectl"
                            + " rollout restart deployment/web, or set go.leaveLimitToRuntime:"
                            + " true so Go 1.25+ follows the CPU limit live (pods web-7d9f8-g)"));
  }

  @Test
  void noStalePodNoReasons() {
    var outcome =
        PodCensus.count(CEIL, "default", List.of(injected("a", CEIL)), Map.of()).get(0).outcome();

    assertThat(outcome.pods().getStaleReasons()).isNull();
  }

  /** {@code pod} after a {@code pods/resize} of its CPU limit to {@code cpu}. */
  private static Pod resized(Pod pod, String cpu) {
    pod.getSpec().getContainers().get(0).getResources().getLimits().put("cpu", new Quantity(cpu));
    pod.getMetadata().setGeneration(2L);
    return pod;
  }

  @Test
  void terminatingAndFinishedPodsDoNotRun() {
    Pod done = injected("done", CEIL);
    done.setStatus(new PodStatusBuilder().withPhase("Succeeded").build());
    Pod going = injected("going", CEIL);
    going.getMetadata().setDeletionTimestamp("2026-12-01T00:00:00Z");

    assertThat(PodCensus.running(done)).isFalse();
    assertThat(PodCensus.running(going)).isFalse();
    assertThat(PodCensus.running(injected("up", CEIL))).isTrue();
  }

  private static PolicySettings settings(Rounding rounding) {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setMode(Mode.Inject);
    spec.getJava().setRounding(rounding);
    return PolicySettings.from(spec);
  }

  /** A pod of Deployment web's ReplicaSet, as the webhook left it under {@code settings}. */
  private static Pod injected(String name, PolicySettings settings) {
    return inject(pod(name), settings);
  }

  private static Pod inject(Pod pod, PolicySettings settings) {
    TuningPlan plan =
        Injection.plan(
            settings,
            "default",
            pod.getMetadata().getAnnotations(),
            pod.getMetadata().getLabels(),
            pod.getSpec());
    plan.env()
        .forEach(
            edit ->
                pod.getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(edit.container()))
                    .forEach(
                        c -> {
                          c.getEnv().removeIf(e -> e.getName().equals(edit.variable()));
                          c.getEnv().add(new EnvVar(edit.variable(), edit.value(), null));
                        }));
    plan.annotations().forEach(a -> pod.getMetadata().getAnnotations().put(a.key(), a.value()));
    plan.labels().forEach(l -> pod.getMetadata().getLabels().put(l.key(), l.value()));
    return pod;
  }

  private static Pod pod(String name) {
    var spec =
        TestDeployments.deployment("web")
            .cpuLimit("1500m")
            .build()
            .getSpec()
            .getTemplate()
            .getSpec();
    Map<String, String> annotations = new HashMap<>(Map.of(Annotations.JAVA_TUNING, "enabled"));
    return new PodBuilder()
        .withNewMetadata()
        .withName("web-7d9f8-" + name)
        .withCreationTimestamp("2026-12-01T10:00:00Z")
        .withLabels(new HashMap<>(Map.of("pod-template-hash", "7d9f8")))
        .withAnnotations(annotations)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName("web-7d9f8")
                .withUid("rs-uid")
                .withController(true)
                .build())
        .endMetadata()
        .withSpec(spec)
        .build();
  }
}
