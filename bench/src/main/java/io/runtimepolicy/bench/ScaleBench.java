package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator at the size DESIGN.md ("Scale") sizes it for: {@code --scale-ungoverned} ungoverned
 * and {@code --scale-governed} governed workloads (80 % Deployments, 5 % each of StatefulSet,
 * DaemonSet, CronJob and Job) spread evenly over {@code --scale-namespaces} namespaces, each with a
 * policy. The governed workloads are created through a first operator's webhook, so they are stored
 * tuned (as they would be in a cluster that has run the operator); the ungoverned ones with no
 * operator running. Then a fresh operator watching every namespace is timed from process start to
 * /readyz over the whole set, measured after a full GC once its reconciles settle, and one CPU
 * change among them is timed to the new flags and to the policy's status. Every object is deleted
 * at the end.
 */
final class ScaleBench {

  static final String NAMESPACE_PREFIX = "bench-scale-";

  /**
   * Item {@code i}'s kind: one in 20 of each other kind, the rest Deployments. Counted from the
   * item's place in its namespace plus the namespace's number, so every namespace holding 5 or more
   * items has Deployments (one change patches one) and the mix is the same overall.
   */
  static String kind(int i, int namespaces) {
    int slot = (i / namespaces + i % namespaces) % 20;
    return slot < 16 ? "Deployment" : KindMemoryBench.KINDS.get(slot - 15);
  }

  static String namespace(int i) {
    return String.format(NAMESPACE_PREFIX + "%04d", i);
  }

  /**
   * {@code statusBytes}: the largest policy status as JSON ({@code statusPolicy}'s, counting {@code
   * statusTargets} workloads, listing {@code statusListed}); {@code cachesSyncedSeconds}: from the
   * JVM's start until its workload caches had listed, as it logs it; {@code list}: the bench's own
   * paged LIST of every workload, the start's baseline; {@code reconcileSettleSeconds}: from the
   * caches' log line until the reconciles and writes stopped for 5 s.
   */
  record Result(
      int namespaces,
      int ungoverned,
      int governed,
      Map<String, Integer> governedByKind,
      double namespacesSeconds,
      double governedSeconds,
      double ungovernedSeconds,
      double startToReadySeconds,
      double cachesSyncedSeconds,
      PagedList.Result list,
      double reconcileSettleSeconds,
      MemoryProbe.Sample sample,
      Map<String, MemoryProbe.Usage> topClasses,
      List<OneChangeBench.Result> changes,
      long statusBytes,
      String statusPolicy,
      int statusTargets,
      int statusListed,
      long totalStatusBytes,
      long errorLines,
      double deleteSeconds) {}

  private final BenchCluster cluster;
  private final OperatorLauncher launcher;
  private final BenchOptions options;
  private final KubernetesClient client;

  ScaleBench(BenchCluster cluster, OperatorLauncher launcher, BenchOptions options) {
    this.cluster = cluster;
    this.launcher = launcher;
    this.options = options;
    this.client = cluster.client();
  }

  Result run() throws Exception {
    int namespaces = options.scaleNamespaces();
    int governed = options.scaleGoverned();
    int ungoverned = options.scaleUngoverned();
    Duration resync = ChartJvmOptions.resyncPeriod(cluster.root());
    System.out.printf(
        "bench: scale: %d namespaces, %d governed and %d ungoverned workloads, %d client threads,"
            + " operators resync every %s (the chart's)%n",
        namespaces, governed, ungoverned, options.threads(), resync);
    try {
      double namespacesSeconds =
          timed(
              "namespaces with a policy",
              namespaces,
              i -> {
                cluster.createNamespace(namespace(i));
                client.resource(ConvergenceBench.policy(namespace(i))).serverSideApply();
              });
      Map<String, Integer> byKind = new LinkedHashMap<>();
      for (int i = 0; i < governed; i++) {
        byKind.merge(kind(i, namespaces), 1, Integer::sum);
      }
      // Through a running operator's webhook: stored tuned, as in a cluster that has run it.
      var creator = start("scale-create", resync);
      double governedSeconds;
      try {
        governedSeconds =
            timed(
                "governed workloads (through the webhook)",
                governed,
                i ->
                    create(
                        workload(
                            i,
                            namespaces,
                            name ->
                                Workloads.governed(
                                    namespace(i % namespaces), name, ConvergenceBench.POLICY, true),
                            "governed-")));
        awaitCounted(governed, Duration.ofMinutes(10));
        settle(creator, Duration.ofSeconds(5), Duration.ofMinutes(10));
      } finally {
        launcher.stop(creator);
      }
      double ungovernedSeconds =
          timed(
              "ungoverned workloads (no operator running)",
              ungoverned,
              i ->
                  create(
                      workload(
                          i,
                          namespaces,
                          name -> Workloads.ungoverned(namespace(i % namespaces), name, true),
                          "other-")));

      // The baseline of the start: the same lists, with nothing built from them.
      PagedList.Result list = PagedList.everything(client);
      System.out.printf(
          "bench: scale: paged LIST of every workload: %.2f s, %d pages, %.1f MiB%n",
          list.seconds(), list.pages(), list.bytes() / Figures.MIB);
      var running = start("scale", resync);
      double startToReady = running.startToReady().toNanos() / 1e9;
      System.out.printf("bench: scale: start to /readyz %.2f s%n", startToReady);
      double synced = launcher.cachesSyncedSeconds(running, Duration.ofMinutes(5));
      System.out.printf("bench: scale: start to every workload cache synced %.1f s%n", synced);
      long cachesSynced = System.nanoTime();
      settle(running, Duration.ofSeconds(5), Duration.ofMinutes(15));
      double settleSeconds = (System.nanoTime() - cachesSynced) / 1e9 - 5;
      System.out.printf(
          "bench: scale: reconciles settled %.1f s after the caches synced (5 s quiet not counted)%n",
          settleSeconds);
      awaitCounted(governed, Duration.ofMinutes(5));
      MemoryProbe.Sample sample = MemoryProbe.measure(running.process().pid());
      Map<String, MemoryProbe.Usage> top = MemoryProbe.topClasses(sample, 15);
      System.out.printf(
          "bench: scale: heap after full GC %.1f MiB, RSS %.1f MiB, peak RSS %.1f MiB%n",
          sample.heapLiveBytes() / Figures.MIB,
          sample.rssBytes() / Figures.MIB,
          sample.peakRssBytes() / Figures.MIB);
      top.forEach(
          (name, usage) ->
              System.out.printf(
                  "bench: scale: heap %,12d B %,9d instances %s%n",
                  usage.bytes(), usage.instances(), name));
      List<OneChangeBench.Result> changes = new ArrayList<>();
      for (int c = 0; c < options.changes(); c++) {
        String ns = namespace(c * Math.max(1, namespaces / Math.max(1, options.changes())));
        changes.add(
            OneChangeBench.run(cluster, launcher, running, ns, ConvergenceBench.POLICY, c % 2));
        OneChangeBench.Result last = changes.get(changes.size() - 1);
        System.out.printf(
            "bench: scale: one change in %s/%s: flags %.3f s, status %.3f s%n",
            ns, last.deployment(), last.flagsSeconds(), last.statusSeconds());
      }
      RuntimePolicy largest = null;
      long largestBytes = -1;
      long totalBytes = 0;
      for (RuntimePolicy p :
          client.resources(RuntimePolicy.class).inAnyNamespace().list().getItems()) {
        if (!p.getMetadata().getNamespace().startsWith(NAMESPACE_PREFIX) || p.getStatus() == null) {
          continue;
        }
        long bytes = statusBytes(p);
        totalBytes += bytes;
        if (bytes > largestBytes) {
          largestBytes = bytes;
          largest = p;
        }
      }
      launcher.stop(running);
      long errors = launcher.errorLines(running);
      return new Result(
          namespaces,
          ungoverned,
          governed,
          byKind,
          namespacesSeconds,
          governedSeconds,
          ungovernedSeconds,
          startToReady,
          synced,
          list,
          settleSeconds,
          sample,
          top,
          changes,
          largestBytes,
          largest == null
              ? ""
              : largest.getMetadata().getNamespace() + "/" + ConvergenceBench.POLICY,
          largest == null || largest.getStatus().getTargets() == null
              ? 0
              : largest.getStatus().getTargets(),
          largest == null ? 0 : largest.getStatus().getResults().size(),
          totalBytes,
          errors,
          deleteAll(namespaces));
    } catch (RuntimeException | Error e) {
      deleteAll(namespaces);
      throw e;
    }
  }

  /**
   * One more try when a start fails: a free port picked for the operator can be taken by another
   * process on this shared machine before the operator binds it (seen once as a BindException), and
   * that should not cost the 110,000 creates before it.
   */
  private OperatorLauncher.Running start(String label, Duration resync) {
    try {
      return launcher.start(label, List.of(), resync);
    } catch (IllegalStateException failed) {
      System.out.println("bench: scale: " + label + " did not start, once more: " + failed);
      return launcher.start(label + "-again", List.of(), resync);
    }
  }

  static long statusBytes(RuntimePolicy policy) {
    return Serialization.asJson(policy.getStatus()).getBytes(StandardCharsets.UTF_8).length;
  }

  /** Item {@code i}: namespace {@code i mod namespaces}, of {@link #kind}(i). */
  private static HasMetadata workload(
      int i, int namespaces, java.util.function.Function<String, Deployment> shape, String prefix) {
    String kind = kind(i, namespaces);
    return Workloads.as(kind, shape.apply(kind.toLowerCase() + "-" + prefix + (i / namespaces)));
  }

  /** A create, retried a few times when the loaded API server times out or refuses for a while. */
  private void create(HasMetadata object) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resource(object).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt > 1) {
          return; // the earlier attempt was stored after all
        }
        if (attempt >= 5 || (e.getCode() != 0 && e.getCode() < 500 && e.getCode() != 429)) {
          throw e;
        }
        Poll.window(Duration.ofMillis(500L * attempt));
      }
    }
  }

  /** Runs {@code item} for 0..n-1 on the client threads, printing progress every tenth. */
  private double timed(String what, int n, java.util.function.IntConsumer item) {
    AtomicInteger done = new AtomicInteger();
    int step = Math.max(1, n / 10);
    long start = System.nanoTime();
    ParallelLoop.Timing timing =
        ParallelLoop.run(
            n,
            options.threads(),
            i -> {
              item.accept(i);
              int d = done.incrementAndGet();
              if (d % step == 0 || d == n) {
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                    "bench: scale: %s: %d of %d in %.1f s (%.0f/s)%n", what, d, n, s, d / s);
              }
            });
    double seconds = timing.duration().toNanos() / 1e9;
    System.out.printf("bench: scale: created %d %s in %.1f s%n", n, what, seconds);
    return seconds;
  }

  /** Waits until the scale policies' statuses count {@code governed} workloads between them. */
  private void awaitCounted(int governed, Duration within) {
    Poll.until(
        "the scale policies to count " + governed + " workloads",
        within,
        Duration.ofSeconds(2),
        () -> counted() >= governed);
  }

  private int counted() {
    int sum = 0;
    for (RuntimePolicy p :
        client.resources(RuntimePolicy.class).inAnyNamespace().list().getItems()) {
      if (p.getMetadata().getNamespace().startsWith(NAMESPACE_PREFIX)
          && p.getStatus() != null
          && p.getStatus().getTargets() != null) {
        sum += p.getStatus().getTargets();
      }
    }
    return sum;
  }

  /** Until neither the operator's reconciles nor its writes (by the API server) change. */
  private void settle(OperatorLauncher.Running running, Duration quiet, Duration within) {
    Poll.settled(
        "the reconciles and writes of " + running.label(),
        quiet,
        within,
        () ->
            List.of(
                OperatorCounters.reconciles(launcher.metrics(running)),
                ApiRequests.of(cluster.apiServerMetrics()).writes(ApiRequests::operatorResource)));
  }

  /**
   * Deletes every workload and policy of the scale namespaces, then the namespaces (the bare API
   * server has no namespace controller, so their contents would otherwise stay). Returns seconds.
   */
  private double deleteAll(int namespaces) {
    long start = System.nanoTime();
    try {
      ParallelLoop.run(
          namespaces,
          options.threads(),
          i -> {
            String ns = namespace(i);
            client.apps().deployments().inNamespace(ns).delete();
            client.apps().statefulSets().inNamespace(ns).delete();
            client.apps().daemonSets().inNamespace(ns).delete();
            client.batch().v1().cronjobs().inNamespace(ns).delete();
            client.batch().v1().jobs().inNamespace(ns).delete();
            client.v1().events().inNamespace(ns).delete();
            client.resources(RuntimePolicy.class).inNamespace(ns).delete();
            client.namespaces().withName(ns).delete();
          });
    } catch (RuntimeException e) {
      System.err.println("bench: scale: deleting the scale objects failed: " + e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("bench: scale: deleted the scale objects in %.1f s%n", seconds);
    return seconds;
  }
}
