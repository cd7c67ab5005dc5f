package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.Reasons;
import io.runtimepolicy.operator.workload.PodOwner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StalePodScanTest {

  private static final Map<String, String> GO = Map.of(Annotations.GO_TUNING, "enabled");
  private static final PodOwner API = new PodOwner("apps/v1", "Deployment", "api", null);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);

  /** The template as the webhook tuned it: a CPU limit of 2, so GOMAXPROCS=2. */
  private static final PodSpec TEMPLATE = spec("2", "2");

  private final AtomicInteger policyLookups = new AtomicInteger();

  @Test
  void eachRunningPodIsCurrentOrStaleByWhyItsResourcesDifferFromItsTemplate() {
    List<Pod> pods = new ArrayList<>();
    pods.add(pod("api-a", "2", 1L, null));
    pods.add(pod("api-b", "4", 2L, null));
    pods.add(pod("api-c", "4", 1L, null));
    pods.add(pod("api-done", "4", 2L, "Succeeded"));

    Map<PodOwner, StalePodScan.StalePods> scanned = scan(pods).of("shop", "default");

    StalePodScan.StalePods api = scanned.get(API);
    assertThat(api.running()).isEqualTo(3);
    assertThat(api.stale()).isEqualTo(2);
    assertThat(api.byReason())
        .containsOnlyKeys(Reasons.RESIZED_IN_PLACE, Reasons.RESOURCES_CHANGED_AT_ADMISSION);
    assertThat(api.byReason().get(Reasons.RESIZED_IN_PLACE).names()).containsExactly("api-b");
    assertThat(api.byReason().get(Reasons.RESOURCES_CHANGED_AT_ADMISSION).names())
        .containsExactly("api-c");
    assertThat(api.followsLimit()).as("GOMAXPROCS under a CPU limit").isTrue();
  }

  @Test
  void theCountIsExactAndTheFirstNamesInOrderAreKept() {
    List<Pod> pods = new ArrayList<>();
    IntStream.of(7, 3, 9, 1, 5).forEach(i -> pods.add(pod("api-" + i, "4", 3L, null)));

    StalePodScan.StalePods api = scan(pods).of("shop", "default").get(API);

    StalePodScan.StalePods.Stale resized = api.byReason().get(Reasons.RESIZED_IN_PLACE);
    assertThat(resized.count()).isEqualTo(5);
    assertThat(resized.names()).containsExactly("api-1", "api-3", "api-5");
    assertThat(PodCensus.resizedText(API, false, resized.count(), resized.names()))
        .isEqualTo(
            "5 pods resized in place keep values for their old resources: kubectl rollout"
                + " restart deployment/api (pods api-1, api-3, api-5 and 2 more)");
  }

  @Test
  void podsOfNoGovernedWorkloadAreNotCountedAndEachPolicyIsLookedUpOncePerScan() {
    List<Pod> pods = new ArrayList<>();
    IntStream.range(0, 20).forEach(i -> pods.add(pod("api-" + i, "2", 1L, null)));
    Pod other = pod("web-1", "4", 2L, null);
    other.getMetadata().getOwnerReferences().get(0).setName("web-5d8f");
    pods.add(other);

    Map<PodOwner, StalePodScan.StalePods> scanned = scan(pods).of("shop", "default");

    assertThat(scanned).containsOnlyKeys(API);
    assertThat(scanned.get(API).stale()).isZero();
    assertThat(policyLookups).hasValue(1);
  }

  @Test
  void anInjectPolicysPodsAreNotItsToCount() {
    StalePodScan scan =
        new StalePodScan(
            (ns, next) -> new PodListBuilder().withItems(pod("api-b", "4", 2L, null)).build(),
            this::owned,
            governance(Mode.Inject),
            CLOCK,
            Duration.ofMinutes(5));

    assertThat(scan.of("shop", "default")).isEmpty();
  }

  private StalePodScan scan(List<Pod> pods) {
    return new StalePodScan(
        (ns, next) -> new PodListBuilder().withItems(pods).build(),
        this::owned,
        governance(Mode.Enforce),
        CLOCK,
        Duration.ofMinutes(5));
  }

  /** What the workload caches answer: the one Deployment {@code api}, with its template. */
  private Optional<PodWorkloads.Owned> owned(Pod pod, PodWorkloads.Governing governing) {
    PodOwner owner = PodOwner.of(pod);
    if (!owner.equals(API)) {
      return Optional.empty();
    }
    return governing
        .of("shop", GO)
        .filter(g -> g.settings().mode() != Mode.Inject)
        .map(g -> new PodWorkloads.Owned(owner, "uid-api", GO, TEMPLATE, g));
  }

  private PodWorkloads.Governing governance(Mode mode) {
    RuntimePolicySpec defaults = new RuntimePolicySpec();
    defaults.setMode(mode);
    Governance real = new Governance(PolicyCache.withoutPolicies(), defaults, ns -> true);
    return (namespace, annotations) -> {
      policyLookups.incrementAndGet();
      return real.of(namespace, annotations);
    };
  }

  private static Pod pod(String name, String cpu, long generation, String phase) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .withGeneration(generation)
        .withLabels(Map.of("pod-template-hash", "5d8f"))
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName("api-5d8f")
        .withUid("rs-uid")
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withSpec(spec(cpu, "2"))
        .withStatus(new PodStatusBuilder().withPhase(phase == null ? "Running" : phase).build())
        .build();
  }

  private static PodSpec spec(String cpuLimit, String gomaxprocs) {
    Container app =
        new ContainerBuilder()
            .withName("app")
            .withImage("registry.example/app:1")
            .addNewEnv()
            .withName("GOMAXPROCS")
            .withValue(gomaxprocs)
            .endEnv()
            .withNewResources()
            .addToLimits("cpu", new Quantity(cpuLimit))
            .endResources()
            .build();
    return new PodSpecBuilder().withContainers(app).build();
  }
}
