package io.runtimepolicy.operator.reconciler;

import static io.runtimepolicy.operator.TestDeployments.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.Controller;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A thousand policies, each with a workload, created and deleted: everything the operator held for
 * them (runtimepolicy_held_entries, per holder) comes back to what it held before, first per
 * workload when the workloads go, then per policy and namespace when the policies go.
 */
@WithRealApiServer
class HeldStateIT extends WithOperator {

  private static final int POLICIES = 1000;
  private static final int NAMESPACES = 50;

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of("RUNTIMEPOLICY_INJECT_ENABLED", "true"));
  }

  @Test
  void aThousandPoliciesWithWorkloadsCreatedAndDeletedLeaveNothingHeld() throws Exception {
    Map<String, Integer> baseline = held();
    long heapBefore = usedHeapAfterGc();
    long start = System.nanoTime();
    List<String> namespaces =
        IntStream.range(0, NAMESPACES).mapToObj(n -> namespace("held-" + n)).toList();

    // One in ten, two per namespace, in Inject mode: the pod report and the untuned-pod scan hold
    // entries too.
    inParallel(
        i ->
            client
                .resource(
                    """
                    apiVersion: runtimepolicy.io/v1alpha1
                    kind: RuntimePolicy
                    metadata: {name: p-%d, namespace: %s}
                    spec: {mode: %s}
                    """
                        .formatted(i, ns(i), i / NAMESPACES % 10 == 0 ? "Inject" : "Enforce"))
                .create());
    inParallel(
        i ->
            client
                .apps()
                .deployments()
                .inNamespace(ns(i))
                .resource(
                    deployment("app-" + i)
                        .governed()
                        .annotation(Annotations.POLICY, "p-" + i)
                        .cpuLimit("2")
                        .build())
                .create());
    await("every policy reports its workload")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(policiesReportingOneWorkload()).isEqualTo(POLICIES));
    Map<String, Integer> peak = held();
    long heapPeak = usedHeapAfterGc();
    long created = System.nanoTime();
    for (String holder :
        List.of("PolicyMemos", "StatusWrites", "InjectedPodReport", "UntunedPodScan")) {
      assertThat(peak.get(holder)).as(holder).isGreaterThan(baseline.get(holder));
    }

    namespaces.forEach(ns -> client.apps().deployments().inNamespace(ns).delete());
    await("per workload, all is forgotten while the policies stay")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Map<String, Integer> now = held();
              // A memo and the outcomes per policy, nothing per workload.
              assertThat(now.get("PolicyMemos"))
                  .isEqualTo(baseline.get("PolicyMemos") + 2 * POLICIES);
              assertThat(now.get("InjectedPodReport"))
                  .isEqualTo(baseline.get("InjectedPodReport") + POLICIES / 10);
              now.keySet().stream()
                  .filter(h -> h.startsWith("WorkloadMapper.") || h.equals("UnansweredWrites"))
                  .forEach(h -> assertThat(now.get(h)).as(h).isEqualTo(baseline.get(h)));
            });

    long workloadsGone = System.nanoTime();
    namespaces.forEach(ns -> client.resources(RuntimePolicy.class).inNamespace(ns).delete());
    await("per policy and namespace, all is forgotten")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(held()).isEqualTo(baseline));
    long policiesGone = System.nanoTime();
    System.out.printf(
        "HeldStateIT: heap used after GC: %d MiB before, %d MiB with %d policies and workloads,"
            + " %d MiB after their deletion; held at the peak %s; created and reported in %d s,"
            + " workloads forgotten in %d s, policies in %d s%n",
        heapBefore >> 20,
        heapPeak >> 20,
        POLICIES,
        usedHeapAfterGc() >> 20,
        peak,
        (created - start) / 1_000_000_000,
        (workloadsGone - created) / 1_000_000_000,
        (policiesGone - workloadsGone) / 1_000_000_000);
  }

  /**
   * fabric8's namespace index held the key of every workload the informers were handed, also of
   * those the pruned stores keep nothing of, and never forgot a deleted one's: the informers run
   * without it.
   */
  @Test
  void theWorkloadAndPodInformersRunWithoutANamespaceIndex() {
    var controller =
        (Controller<?>) operator.operator().getRegisteredControllers().iterator().next();
    List<PrunedInformer<?>> pruned =
        controller.getEventSourceManager().allEventSources().stream()
            .filter(PrunedInformer.class::isInstance)
            .<PrunedInformer<?>>map(PrunedInformer.class::cast)
            .toList();

    // The five workload kinds and, Inject being on, the injected pods.
    assertThat(pruned).hasSize(6);
    for (PrunedInformer<?> source : pruned) {
      List<SharedIndexInformer<?>> informers = PrunedInformer.informers(source);
      assertThat(informers).as(source.name()).isNotEmpty();
      assertThat(source.indexesDropped()).as(source.name()).isEqualTo(informers.size());
      informers.forEach(
          informer -> assertThat(informer.getIndexer().getIndexers()).as(source.name()).isEmpty());
    }
  }

  private static String ns(int policy) {
    return "held-" + policy % NAMESPACES;
  }

  /** runtimepolicy_held_entries, by holder. */
  private static Map<String, Integer> held() {
    Map<String, Integer> sizes = new TreeMap<>();
    for (PromText.Sample s :
        PromText.scrape(operator.healthPort()).named("runtimepolicy_held_entries")) {
      sizes.put(s.label("holder"), (int) s.value());
    }
    return sizes;
  }

  private static long policiesReportingOneWorkload() {
    return client.resources(RuntimePolicy.class).inAnyNamespace().list().getItems().stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getResults() != null)
        .filter(p -> p.getStatus().getResults().size() == 1)
        .count();
  }

  private static void inParallel(IntConsumer create) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all =
          IntStream.range(0, POLICIES)
              .<Future<?>>mapToObj(i -> pool.submit(() -> create.accept(i)))
              .toList();
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
