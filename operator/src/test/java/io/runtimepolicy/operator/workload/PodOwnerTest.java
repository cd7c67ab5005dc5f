package io.runtimepolicy.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which workload a pod is reported under, from the pod alone. */
class PodOwnerTest {

  @Test
  void aReplicaSetsPodsWithItsTemplateHashBelongToTheDeploymentThatMadeIt() {
    Pod pod =
        pod(Map.of("pod-template-hash", "7d9f8"), controller("apps/v1", "ReplicaSet", "web-7d9f8"));

    assertThat(PodOwner.of(pod)).isEqualTo(new PodOwner("apps/v1", "Deployment", "web", null));
    assertThat(PodOwner.of(pod).restartAdvice())
        .isEqualTo("kubectl rollout restart deployment/web");
  }

  @Test
  void aReplicaSetCreatedDirectlyIsItsOwnWorkload() {
    Pod noHash = pod(Map.of(), controller("apps/v1", "ReplicaSet", "custom-abc"));
    Pod otherHash =
        pod(Map.of("pod-template-hash", "zzz"), controller("apps/v1", "ReplicaSet", "custom-abc"));

    assertThat(PodOwner.of(noHash))
        .isEqualTo(new PodOwner("apps/v1", "ReplicaSet", "custom-abc", "uid-1"));
    assertThat(PodOwner.of(otherHash).kind()).isEqualTo("ReplicaSet");
    assertThat(PodOwner.of(noHash).restartAdvice())
        .isEqualTo("delete its pods to have them recreated");
  }

  @Test
  void anyControllerKindIsTheOwnerAndAPodWithoutOneIsItsOwn() {
    assertThat(PodOwner.of(pod(Map.of(), controller("apps/v1", "StatefulSet", "db"))))
        .isEqualTo(new PodOwner("apps/v1", "StatefulSet", "db", "uid-1"));
    assertThat(
            PodOwner.of(pod(Map.of(), controller("kafka.strimzi.io/v1beta2", "StrimziPodSet", "k")))
                .kind())
        .isEqualTo("StrimziPodSet");
    assertThat(PodOwner.of(pod(Map.of(), controller("batch/v1", "Job", "once"))).restartAdvice())
        .isEqualTo("its next run is tuned");
    PodOwner bare = PodOwner.of(pod(Map.of()));
    assertThat(bare).isEqualTo(new PodOwner("v1", "Pod", "p-1", "pod-uid"));
    assertThat(bare.restartAdvice()).isEqualTo("recreate the pod");
  }

  @Test
  void anOwnerReferenceThatIsNotTheControllerIsIgnored() {
    OwnerReference notController =
        new OwnerReferenceBuilder(controller("apps/v1", "ReplicaSet", "rs"))
            .withController(false)
            .build();

    assertThat(PodOwner.of(pod(Map.of(), notController)).kind()).isEqualTo("Pod");
  }

  private static OwnerReference controller(String apiVersion, String kind, String name) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(name)
        .withUid("uid-1")
        .withController(true)
        .build();
  }

  private static Pod pod(Map<String, String> labels, OwnerReference... owners) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p-1")
        .withUid("pod-uid")
        .withLabels(labels)
        .withOwnerReferences(List.of(owners))
        .endMetadata()
        .build();
  }
}
