package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One change among N: the CPU limit of one Deployment goes from 1500m to 3 (one strategic-merge
 * PATCH, as kubectl would send). Measured: time to the new flags, time to the policy status showing
 * them, the writes (API server counters) and reconciles (JOSDK counters) it caused. Picks the
 * Deployment at {@code index} among the Deployments in status.results, so the status must change
 * too.
 */
final class OneChangeBench {

  /**
   * {@code statusChanges}: new resourceVersions of the policy seen by a watch, to tell status
   * writes that changed it from no-op applies.
   */
  record Result(
      String deployment,
      double flagsSeconds,
      double statusSeconds,
      long deploymentWrites,
      long statusWrites,
      long statusChanges,
      long eventWrites,
      long otherOperatorWrites,
      double reconciles,
      Map<String, Long> requests) {}

  private static final String NEW_FLAG = "-XX:ActiveProcessorCount=3";
  private static final String PATCH =
      "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"resources\":{\"limits\":{\"cpu\":\"3\"}}}]}}}}";

  private OneChangeBench() {}

  static Result run(
      BenchCluster cluster,
      OperatorLauncher launcher,
      OperatorLauncher.Running operator,
      String namespace,
      String policy,
      int index)
      throws Exception {
    KubernetesClient client = cluster.client();
    RuntimePolicy current =
        client.resources(RuntimePolicy.class).inNamespace(namespace).withName(policy).get();
    // The index-th Deployment: the scale phase's policies list other kinds beside them.
    String target =
        current.getStatus().getResults().stream()
            .filter(r -> r.getKind() == null || r.getKind().equals("Deployment"))
            .skip(index)
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException(namespace + "/" + policy + " lists no Deployment"))
            .getName();
    CompletableFuture<Long> flags = new CompletableFuture<>();
    var informer =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withName(target)
            .inform(
                ConvergenceObserver.handler(
                    d -> {
                      if (options(d).contains(NEW_FLAG)) {
                        flags.complete(System.nanoTime());
                      }
                    },
                    d -> {}));
    AtomicInteger policyChanges = new AtomicInteger();
    var policyInformer =
        client
            .resources(RuntimePolicy.class)
            .inNamespace(namespace)
            .withName(policy)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(RuntimePolicy obj) {}

                  @Override
                  public void onUpdate(RuntimePolicy oldObj, RuntimePolicy newObj) {
                    policyChanges.incrementAndGet();
                  }

                  @Override
                  public void onDelete(RuntimePolicy obj, boolean deletedFinalStateUnknown) {}
                });
    try {
      ApiRequests before = ApiRequests.of(cluster.apiServerMetrics());
      double reconcilesBefore = OperatorCounters.reconciles(launcher.metrics(operator));
      policyChanges.set(0);
      long start = System.nanoTime();
      client
          .apps()
          .deployments()
          .inNamespace(namespace)
          .withName(target)
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), PATCH);
      double flagsSeconds = (flags.get(60, TimeUnit.SECONDS) - start) / 1e9;
      Poll.until(
          "the status to show the change",
          Duration.ofSeconds(60),
          Duration.ofMillis(20),
          () ->
              statusShows(
                  client
                      .resources(RuntimePolicy.class)
                      .inNamespace(namespace)
                      .withName(policy)
                      .get(),
                  target));
      double statusSeconds = (System.nanoTime() - start) / 1e9;
      Poll.settled(
          "the operator's work",
          Duration.ofSeconds(3),
          Duration.ofSeconds(60),
          () ->
              List.of(
                  ApiRequests.of(cluster.apiServerMetrics()).writes(ApiRequests::operatorResource),
                  OperatorCounters.reconciles(launcher.metrics(operator))));
      ApiRequests delta = ApiRequests.of(cluster.apiServerMetrics()).since(before);
      double reconciles =
          OperatorCounters.reconciles(launcher.metrics(operator)) - reconcilesBefore;
      long deploymentWrites = delta.writes(r -> r.equals("deployments")) - 1;
      long statusWrites = delta.writes(r -> r.equals("runtimepolicies/status"));
      long eventWrites = delta.writes(r -> r.equals("events"));
      long others =
          delta.writes(ApiRequests::operatorResource)
              - 1
              - deploymentWrites
              - statusWrites
              - eventWrites;
      return new Result(
          target,
          flagsSeconds,
          statusSeconds,
          deploymentWrites,
          statusWrites,
          policyChanges.get(),
          eventWrites,
          others,
          reconciles,
          delta.counts());
    } finally {
      informer.close();
      policyInformer.close();
    }
  }

  private static boolean statusShows(RuntimePolicy policy, String deployment) {
    return policy.getStatus().getResults().stream()
        .filter(r -> r.getName().equals(deployment))
        .flatMap(r -> r.getContainers().stream())
        .anyMatch(c -> Objects.equals(c.getActiveProcessorCount(), 3));
  }

  private static String options(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .map(EnvVar::getValue)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse("");
  }
}
