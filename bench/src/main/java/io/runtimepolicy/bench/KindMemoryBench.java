package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Heap per workload of every watched kind, governed and not, in one operator process: measured
 * after a full GC before and after each batch of one kind is created, while the process runs (a
 * batch goes through the same informer caches as a start's initial list). A batch of ungoverned
 * workloads ends with one governed workload of the kind: once the policy counts it, its informer
 * has delivered every object created before it. A first batch of Deployments and a few of every
 * other kind, deleted before the first measurement, warms what any traffic grows once (the HTTP
 * clients' and the webhook server's buffer pools, the JIT's code, each type's deserializers):
 * without it the first kind measured, and each kind's first batch, carries that. Last, every
 * workload is deleted and the heap measured once more: what is left above the first measurement is
 * what the operator failed to forget.
 */
final class KindMemoryBench {

  static final String NAMESPACE = "bench-kinds";
  static final List<String> KINDS =
      List.of("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job");

  /** One kind's heap per ungoverned and per governed workload, in bytes. */
  record PerKind(
      String kind,
      int ungoverned,
      int governed,
      double perUngoverned,
      double perGoverned,
      Map<String, MemoryProbe.Usage> governedGrowth) {}

  /**
   * {@code statusBytes}: the policy's status as JSON once every batch is in, listing {@code listed}
   * of its {@code targets} workloads; {@code gone}: once they are all deleted again, the {@code
   * created} of every kind.
   */
  record Result(
      List<PerKind> kinds,
      MemoryProbe.Sample before,
      MemoryProbe.Sample after,
      MemoryProbe.Sample gone,
      int created,
      int targets,
      int listed,
      long statusBytes) {}

  private final BenchCluster cluster;
  private final OperatorLauncher launcher;
  private final BenchOptions options;
  private int targets;

  KindMemoryBench(BenchCluster cluster, OperatorLauncher launcher, BenchOptions options) {
    this.cluster = cluster;
    this.launcher = launcher;
    this.options = options;
  }

  Result run() {
    cluster.createNamespace(NAMESPACE);
    cluster.client().resource(ConvergenceBench.policy(NAMESPACE)).serverSideApply();
    int m = options.kindUngoverned();
    int n = options.kindGoverned();
    var running = launcher.startWeighed("kind-memory", List.of(NAMESPACE));
    try {
      warmUp(running, m, n);
      MemoryProbe.Sample before = MemoryProbe.measure(running.process().pid());
      MemoryProbe.Sample last = before;
      List<PerKind> kinds = new ArrayList<>();
      for (String kind : KINDS) {
        String prefix = kind.toLowerCase();
        create(kind, m, i -> Workloads.ungoverned(NAMESPACE, prefix + "-other-" + i, true));
        create(
            kind,
            1,
            i ->
                Workloads.governed(NAMESPACE, prefix + "-sentinel", ConvergenceBench.POLICY, true));
        awaitTargets(running, 1);
        MemoryProbe.Sample withUngoverned = MemoryProbe.measure(running.process().pid());
        create(
            kind,
            n,
            i ->
                Workloads.governed(
                    NAMESPACE, prefix + "-governed-" + i, ConvergenceBench.POLICY, true));
        awaitTargets(running, n);
        MemoryProbe.Sample withGoverned = MemoryProbe.measure(running.process().pid());
        double perGoverned =
            (withGoverned.heapLiveBytes() - withUngoverned.heapLiveBytes()) / (double) n;
        // The sentinel is one governed workload among the ungoverned batch.
        double perUngoverned =
            (withUngoverned.heapLiveBytes() - last.heapLiveBytes() - perGoverned) / (double) m;
        kinds.add(
            new PerKind(
                kind,
                m,
                n,
                perUngoverned,
                perGoverned,
                MemoryProbe.topGrowth(withUngoverned, withGoverned, 15)));
        System.out.printf(
            "bench: %s: %.0f B per ungoverned, %.0f B per governed%n",
            kind, perUngoverned, perGoverned);
        last = withGoverned;
      }
      RuntimePolicy policy = policy();
      int inPolicy = targets();
      int listed = policy.getStatus().getResults().size();
      long statusBytes =
          Serialization.asJson(policy.getStatus()).getBytes(StandardCharsets.UTF_8).length;
      deleteAll(running);
      MemoryProbe.Sample gone = MemoryProbe.measure(running.process().pid());
      System.out.printf(
          "bench: all %d deleted: heap %+.0f B per workload created against before the first%n",
          KINDS.size() * (m + 1 + n),
          (gone.heapLiveBytes() - before.heapLiveBytes()) / (double) (KINDS.size() * (m + 1 + n)));
      return new Result(
          kinds, before, last, gone, KINDS.size() * (m + 1 + n), inPolicy, listed, statusBytes);
    } finally {
      launcher.stop(running);
    }
  }

  private void warmUp(OperatorLauncher.Running running, int m, int n) {
    create("Deployment", m, i -> Workloads.ungoverned(NAMESPACE, "warm-up-other-" + i, true));
    create(
        "Deployment",
        n,
        i -> Workloads.governed(NAMESPACE, "warm-up-" + i, ConvergenceBench.POLICY, true));
    // And a few of every other kind: the first object of a type builds its deserializers and
    // the informer's buffers once, which would otherwise be charged to that kind's first batch.
    for (String kind : KINDS.subList(1, KINDS.size())) {
      String prefix = "warm-up-" + kind.toLowerCase();
      create(kind, 20, i -> Workloads.ungoverned(NAMESPACE, prefix + "-other-" + i, true));
      create(
          kind,
          20,
          i -> Workloads.governed(NAMESPACE, prefix + "-" + i, ConvergenceBench.POLICY, true));
    }
    n += 20 * (KINDS.size() - 1);
    awaitTargets(running, n);
    deleteAll(running);
  }

  /**
   * Deletes every kind's workloads and waits until the policy counts none and the reconciles
   * settle: what the operator held for them should be gone with them.
   */
  private void deleteAll(OperatorLauncher.Running running) {
    var client = cluster.client();
    client.apps().deployments().inNamespace(NAMESPACE).delete();
    client.apps().statefulSets().inNamespace(NAMESPACE).delete();
    client.apps().daemonSets().inNamespace(NAMESPACE).delete();
    client.batch().v1().cronjobs().inNamespace(NAMESPACE).delete();
    client.batch().v1().jobs().inNamespace(NAMESPACE).delete();
    Poll.until(
        "every workload to be gone from the policy",
        Duration.ofSeconds(300),
        Duration.ofMillis(200),
        () -> targets() == 0);
    targets = 0;
    settle(running);
  }

  private void create(String kind, int count, Function<Integer, Deployment> deployment) {
    var client = cluster.client();
    ParallelLoop.run(
        count,
        options.threads(),
        i ->
            client
                .resource(Workloads.as(kind, deployment.apply(i)))
                .inNamespace(NAMESPACE)
                .create());
  }

  /**
   * Waits until the policy counts {@code more} workloads than before, and the reconciles settle.
   */
  private void awaitTargets(OperatorLauncher.Running running, int more) {
    int expected = targets + more;
    Poll.until(
        "the policy to count " + expected + " workloads",
        Duration.ofSeconds(300),
        Duration.ofMillis(200),
        () -> targets() >= expected);
    targets = expected;
    settle(running);
  }

  private RuntimePolicy policy() {
    return cluster
        .client()
        .resources(RuntimePolicy.class)
        .inNamespace(NAMESPACE)
        .withName(ConvergenceBench.POLICY)
        .get();
  }

  private int targets() {
    RuntimePolicy policy = policy();
    return policy == null || policy.getStatus() == null || policy.getStatus().getTargets() == null
        ? 0
        : policy.getStatus().getTargets();
  }

  private void settle(OperatorLauncher.Running running) {
    Poll.settled(
        "the reconciles of " + running.label(),
        Duration.ofSeconds(3),
        Duration.ofSeconds(300),
        () -> OperatorCounters.reconciles(launcher.metrics(running)));
  }
}
