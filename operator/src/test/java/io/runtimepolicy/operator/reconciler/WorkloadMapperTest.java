package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadMapperTest {

  private static final Map<String, String> GOVERNED =
      Map.of("runtimepolicy.io/java-tuning", "enabled", "runtimepolicy.io/policy", "team");

  // Named policies only: the default policy would need the provisioner.
  private final WorkloadMapper<Deployment> mapper = new WorkloadMapper<>(null, ns -> true);

  @Test
  void aStatusUpdateOfAGovernedDeploymentConcernsNoPolicy() {
    Deployment before = deployment(GOVERNED, 3L, 1);
    Deployment after = deployment(GOVERNED, 3L, 2);

    assertThat(mapper.accept(after, before)).isFalse();
  }

  @Test
  void otherAnnotationsDoNotMatter() {
    Deployment before = deployment(GOVERNED, 3L, 1);
    Deployment after = deployment(with(GOVERNED, "deployment.kubernetes.io/revision", "4"), 3L, 1);

    assertThat(mapper.accept(after, before)).isFalse();
  }

  @Test
  void aSpecChangeOfAGovernedDeploymentIsReconciled() {
    assertThat(mapper.accept(deployment(GOVERNED, 4L, 1), deployment(GOVERNED, 3L, 1))).isTrue();
  }

  @Test
  void aChangeOfTheOperatorsAnnotationsIsReconciled() {
    Deployment before = deployment(GOVERNED, 3L, 1);
    Deployment after =
        deployment(with(GOVERNED, "runtimepolicy.io/app-read-timeout", "10s"), 3L, 1);

    assertThat(mapper.accept(after, before)).isTrue();
  }

  @Test
  void becomingGovernedIsReconciledWhateverElseChanged() {
    Deployment skeleton = deployment(Map.of(), null, 0);

    assertThat(mapper.accept(deployment(GOVERNED, 3L, 0), skeleton)).isTrue();
  }

  @Test
  void updatesOfDeploymentsNeverGovernedOrTunedConcernNoPolicy() {
    assertThat(mapper.accept(deployment(Map.of(), 4L, 1), deployment(Map.of(), 3L, 1))).isFalse();
  }

  @Test
  void movingToAnotherPolicyReachesBothPolicies() {
    Deployment before = deployment(GOVERNED, 3L, 1);
    Deployment after = deployment(with(GOVERNED, "runtimepolicy.io/policy", "other"), 3L, 1);

    assertThat(mapper.accept(after, before)).isTrue();
    assertThat(mapper.toPrimaryResourceIDs(after))
        .containsExactlyInAnyOrder(new ResourceID("team", "ns"), new ResourceID("other", "ns"));
  }

  @Test
  void eachPolicyAnEventReachesLearnsWhichWorkloadChanged() {
    WorkloadChanges changes = new WorkloadChanges();
    WorkloadMapper<Deployment> marking =
        new WorkloadMapper<>(
            "Deployment",
            null,
            ns -> true,
            (policy, name) -> changes.mark(policy, "Deployment", name),
            workload -> {});
    Deployment before = deployment(GOVERNED, 3L, 1);
    Deployment after = deployment(with(GOVERNED, "runtimepolicy.io/policy", "other"), 3L, 1);

    marking.accept(after, before);
    marking.toPrimaryResourceIDs(after);

    WorkloadChanges.Changed app = new WorkloadChanges.Changed("Deployment", "app");
    assertThat(changes.take(new ResourceID("team", "ns"))).containsExactly(app);
    assertThat(changes.take(new ResourceID("other", "ns"))).containsExactly(app);
    // Taken once: the next reconcile of either policy, woken by nothing else, looks at everything.
    assertThat(changes.take(new ResourceID("team", "ns"))).isEmpty();
  }

  @Test
  void deploymentsOutsideTheWatchedNamespacesConcernNoPolicy() {
    WorkloadMapper<Deployment> elsewhere = new WorkloadMapper<>(null, ns -> !ns.equals("ns"));

    assertThat(elsewhere.accept(deployment(GOVERNED, 4L, 1), deployment(GOVERNED, 3L, 1)))
        .isFalse();
    assertThat(elsewhere.toPrimaryResourceIDs(deployment(GOVERNED, 4L, 1))).isEmpty();
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> copy = new java.util.HashMap<>(base);
    copy.put(key, value);
    return copy;
  }

  private static Deployment deployment(
      Map<String, String> annotations, Long generation, int readyReplicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("app")
        .withNamespace("ns")
        .withGeneration(generation)
        .withAnnotations(new java.util.HashMap<>(annotations))
        .endMetadata()
        .withNewStatus()
        .withReadyReplicas(readyReplicas)
        .endStatus()
        .build();
  }
}
