package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * On the full cluster: waits until every Deployment of some namespaces has rolled out (the
 * controller observed its generation, and all its replicas are updated and ready with no old pod
 * left), then counts what the rollouts left: ReplicaSets (one per pod template a Deployment ever
 * had) and Running pods.
 */
final class Rollouts {

  /** Per namespace, in the order asked. */
  record Summary(
      List<String> namespaces,
      List<Integer> deployments,
      List<Integer> replicaSets,
      List<Integer> runningPods,
      double seconds) {}

  private Rollouts() {}

  static Summary await(KubernetesClient client, List<String> namespaces, Duration within) {
    long start = System.nanoTime();
    Poll.until(
        "the rollouts in " + namespaces,
        within,
        Duration.ofSeconds(1),
        () ->
            namespaces.stream()
                .flatMap(
                    ns -> client.apps().deployments().inNamespace(ns).list().getItems().stream())
                .allMatch(Rollouts::rolledOut));
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Integer> deployments = new ArrayList<>();
    List<Integer> replicaSets = new ArrayList<>();
    List<Integer> running = new ArrayList<>();
    for (String ns : namespaces) {
      deployments.add(client.apps().deployments().inNamespace(ns).list().getItems().size());
      replicaSets.add(client.apps().replicaSets().inNamespace(ns).list().getItems().size());
      running.add(
          (int)
              client.pods().inNamespace(ns).list().getItems().stream()
                  .filter(p -> "Running".equals(p.getStatus().getPhase()))
                  .count());
    }
    Summary summary = new Summary(namespaces, deployments, replicaSets, running, seconds);
    System.out.println("bench: rolled out: " + summary);
    return summary;
  }

  private static boolean rolledOut(Deployment d) {
    var status = d.getStatus();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    return status != null
        && status.getObservedGeneration() != null
        && status.getObservedGeneration() >= d.getMetadata().getGeneration()
        && Objects.equals(status.getUpdatedReplicas(), replicas)
        && Objects.equals(status.getReadyReplicas(), replicas)
        && Objects.equals(status.getReplicas(), replicas);
  }
}
