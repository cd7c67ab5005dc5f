package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.api.v1alpha1.WorkloadState;
import io.runtimepolicy.operator.status.WorkloadOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each holder drops what it kept for a policy, namespace or workload when told it went away. */
class ForgettingTest {

  private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
  private static final ResourceID SHOP = new ResourceID("default", "shop");
  private static final ResourceID OTHER = new ResourceID("default", "other");
  private static final KubernetesClientException FORBIDDEN =
      new KubernetesClientException(new StatusBuilder().withCode(403).build());

  @Test
  void policyMemosDropThePolicysMemoOutcomesAndInjectNotice() {
    PolicyMemos memos = new PolicyMemos();
    for (ResourceID id : List.of(SHOP, OTHER)) {
      memos.memo(id).settled("uid-1", "1", null, outcome("app"));
      memos.memo(id).commit();
      PolicyOutcomes known = new PolicyOutcomes("policy-uid", null);
      known.put(new WorkloadChanges.Changed("Deployment", "app"), "uid-1", outcome("app"));
      memos.outcomes(id, known);
      memos.firstInjectRefusal(id);
    }
    int both = memos.size();

    memos.policyGone(SHOP);

    assertThat(memos.size()).isEqualTo(both / 2);
    assertThat(memos.outcomes(SHOP)).isNull();
    assertThat(memos.firstInjectRefusal(SHOP)).as("told again after a re-create").isTrue();
    assertThat(memos.outcomes(OTHER)).isNotNull();
  }

  @Test
  void statusWritesForgetTheLastWriteSoARecreatedPolicyIsWrittenAtOnce() {
    StatusWrites writes = new StatusWrites();
    writes.decide(SHOP, "1", status(1), status(2), T0);
    writes.decide(OTHER, "1", status(1), status(2), T0);

    writes.policyGone(SHOP);

    assertThat(writes.size()).isEqualTo(1);
    assertThat(writes.wait(SHOP, T0)).isEmpty();
    assertThat(writes.wait(OTHER, T0)).isPresent();
  }

  @Test
  void workloadChangesDropMarksLeftByEventsThatRacedTheDelete() {
    WorkloadChanges changes = new WorkloadChanges();
    changes.mark(SHOP, "Deployment", "app");
    changes.mark(OTHER, "Deployment", "app");

    changes.policyGone(SHOP);

    assertThat(changes.size()).isEqualTo(1);
    assertThat(changes.take(SHOP)).isEmpty();
    assertThat(changes.take(OTHER)).isNotEmpty();
  }

  @Test
  void writeDenialsForgetAnOpenDenialWithoutLoggingItsEnd() {
    WriteDenials denials = new WriteDenials();
    denials.refused("shop/default", "Deployment", "shop/app", FORBIDDEN);
    denials.refused("other/default", "Deployment", "other/app", FORBIDDEN);

    denials.policyGone(SHOP);

    assertThat(denials.size()).isEqualTo(1);
  }

  @Test
  void unansweredWritesForgetThePolicysWaitAndWritesAndEachDeletedWorkload() {
    UnansweredWrites writes = new UnansweredWrites();
    writes.unanswered("shop/default", "a", "7", T0);
    writes.unanswered("shop/default", "b", "7", T0);
    writes.unanswered("other/default", "c", "7", T0);
    writes.unanswered("other/default", "d", "7", T0);

    writes.policyGone(SHOP);
    writes.workloadGone(new HeldState.Workload("Deployment", "other", "app-c", "c"));

    assertThat(writes.retryIn("shop/default", T0)).isEmpty();
    assertThat(writes.permit("shop/default", "a", "7", T0))
        .isEqualTo(UnansweredWrites.Permit.WRITE);
    assertThat(writes.permit("other/default", "c", "7", T0))
        .isEqualTo(UnansweredWrites.Permit.WRITE);
    assertThat(writes.permit("other/default", "d", "7", T0))
        .isEqualTo(UnansweredWrites.Permit.WAIT);
    assertThat(writes.size()).as("d and other's wait").isEqualTo(2);
  }

  @Test
  void theMapperDropsWhatAnUpdateLeftBehindForADeletedWorkloadOfItsOwnKind() {
    List<HeldState.Workload> gone = new ArrayList<>();
    WorkloadMapper<Deployment> mapper =
        new WorkloadMapper<>("Deployment", null, ns -> true, (p, w) -> {}, gone::add);
    // An update whose mapping never ran (JOSDK skips the operator's own writes' events).
    mapper.accept(deployment("app", "other"), deployment("app", "team"));
    mapper.accept(deployment("api", "other"), deployment("api", "team"));
    assertThat(mapper.size()).isEqualTo(2);

    assertThat(mapper.deleted(deployment("app", "other"))).isTrue();
    assertThat(gone).containsExactly(new HeldState.Workload("Deployment", "ns", "app", "uid-app"));
    mapper.workloadGone(new HeldState.Workload("StatefulSet", "ns", "api", "uid-x"));
    gone.forEach(mapper::workloadGone);

    assertThat(mapper.size()).as("api, a StatefulSet's name only").isEqualTo(1);
  }

  @Test
  void untunedPodScansGoWithTheNamespacesLastPolicy() {
    UntunedPodScanTest.Lister pods = new UntunedPodScanTest.Lister();
    UntunedPodScan scan =
        new UntunedPodScan(pods, UntunedPodScanTest.clockAt(T0), UntunedPodScanTest.INTERVAL);
    scan.of("shop", "default");
    scan.of("other", "default");

    scan.policyGone(SHOP);
    assertThat(scan.size()).as("a policy alone is not the namespace").isEqualTo(2);
    scan.namespaceEmpty("shop");

    assertThat(scan.size()).isEqualTo(1);
    scan.of("shop", "default");
    assertThat(pods.calls()).as("listed again for a new policy").isEqualTo(3);
  }

  @Test
  void theRegistryTellsEveryHolderAndTheNamespaceOnlyWithItsLastPolicy() {
    HeldState held = new HeldState(new SimpleMeterRegistry());
    StatusWrites writes = held.register("StatusWrites", new StatusWrites());
    UntunedPodScan scan =
        held.register(
            "UntunedPodScan",
            new UntunedPodScan(
                new UntunedPodScanTest.Lister(),
                UntunedPodScanTest.clockAt(T0),
                UntunedPodScanTest.INTERVAL));
    writes.decide(SHOP, "1", status(1), status(2), T0);
    scan.of("shop", "default");
    assertThat(held.sizes()).isEqualTo(Map.of("StatusWrites", 1, "UntunedPodScan", 1));

    held.policyGone(SHOP, false);
    assertThat(held.sizes()).isEqualTo(Map.of("StatusWrites", 0, "UntunedPodScan", 1));
    held.policyGone(SHOP, true);

    assertThat(held.sizes().values()).containsOnly(0);
    assertThat(Set.copyOf(held.sizes().keySet())).hasSize(2);
  }

  private static WorkloadOutcome outcome(String name) {
    return new WorkloadOutcome("Deployment", name, WorkloadState.Tuned, true, List.of(), List.of());
  }

  private static RuntimePolicyStatus status(int tuned) {
    RuntimePolicyStatus status = new RuntimePolicyStatus();
    status.setTuned(tuned);
    return status;
  }

  private static Deployment deployment(String name, String policy) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid("uid-" + name)
        .withAnnotations(
            Map.of("runtimepolicy.io/java-tuning", "enabled", "runtimepolicy.io/policy", policy))
        .endMetadata()
        .build();
  }
}
