package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Heap per governed and per ungoverned pod in Inject mode, as {@link StartupMemoryBench} measures
 * Deployments: fresh operator processes watching one namespace under an Inject policy, each after
 * its first reconciles and a full GC, (a) with no pod, (b) once N governed pods were created
 * through the first process's Pod webhook (each labeled), (c) once N ungoverned pods were added. No
 * webhook is registered while a process is measured, so none has served a review by then. The pod
 * watch is label-selected, so (c) - (b) should be about nothing.
 */
final class InjectMemoryBench {

  static final String NAMESPACE = "bench-inject-memory";

  /** {@code held*}: the operator's {@code runtimepolicy_injected_pods_held} when measured. */
  record Result(
      int n,
      int labeled,
      MemoryProbe.Sample idle,
      MemoryProbe.Sample injected,
      MemoryProbe.Sample withUngoverned,
      double heldInjected,
      double heldWithUngoverned,
      Map<String, Long> errorLines) {}

  private final BenchCluster cluster;
  private final OperatorLauncher launcher;
  private final BenchOptions options;

  InjectMemoryBench(BenchCluster cluster, OperatorLauncher launcher, BenchOptions options) {
    this.cluster = cluster;
    this.launcher = launcher;
    this.options = options;
  }

  Result run() {
    cluster.createNamespace(NAMESPACE);
    cluster.createServiceAccount(NAMESPACE);
    InjectPods.createPolicy(cluster.client(), NAMESPACE);
    int n = options.injectN();
    Map<String, Long> errors = new LinkedHashMap<>();
    var first = launcher.startInject("inject-memory-idle", NAMESPACE);
    settle(first, 0);
    MemoryProbe.Sample idle = MemoryProbe.measure(first.process().pid());
    PodWebhook webhook = new PodWebhook(cluster, NAMESPACE);
    webhook.register(first);
    int labeled;
    try {
      labeled = create(n, "injected", InjectPods::governed);
    } finally {
      webhook.unregister();
      launcher.stop(first);
    }
    errors.put("0 pods, then creating " + n + " governed", launcher.errorLines(first));
    var second = launcher.startInject("inject-memory-injected", NAMESPACE);
    double heldInjected = settle(second, n);
    MemoryProbe.Sample injected = MemoryProbe.measure(second.process().pid());
    launcher.stop(second);
    errors.put(n + " injected pods", launcher.errorLines(second));
    create(n, "plain", InjectPods::ungoverned);
    var third = launcher.startInject("inject-memory-ungoverned", NAMESPACE);
    double heldWithUngoverned = settle(third, n);
    MemoryProbe.Sample withUngoverned = MemoryProbe.measure(third.process().pid());
    launcher.stop(third);
    errors.put(n + " injected + " + n + " ungoverned pods", launcher.errorLines(third));
    return new Result(
        n, labeled, idle, injected, withUngoverned, heldInjected, heldWithUngoverned, errors);
  }

  /**
   * Until the pod watch holds {@code pods} and the reconciles (the first one lists the namespace's
   * unmarked pods) have stopped for 2 s; returns what the watch holds.
   */
  private double settle(OperatorLauncher.Running running, int pods) {
    Poll.until(
        running.label() + " to hold " + pods + " injected pods and reconcile",
        Duration.ofSeconds(120),
        Duration.ofMillis(100),
        () -> held(running) == pods && OperatorCounters.reconciles(launcher.metrics(running)) >= 1);
    Poll.settled(
        "the reconciles of " + running.label(),
        Duration.ofSeconds(2),
        Duration.ofSeconds(120),
        () -> OperatorCounters.reconciles(launcher.metrics(running)));
    return held(running);
  }

  private double held(OperatorLauncher.Running running) {
    return launcher.metrics(running).sum("runtimepolicy_injected_pods_held");
  }

  /** The 4-thread create loop; returns how many came back labeled. */
  private int create(int n, String prefix, BiFunction<String, String, Pod> pod) {
    AtomicInteger labeled = new AtomicInteger();
    ParallelLoop.Timing timing =
        ParallelLoop.run(
            n,
            options.threads(),
            i -> {
              Pod created =
                  cluster
                      .client()
                      .resource(pod.apply(NAMESPACE, prefix + "-" + ConvergenceBench.name(i)))
                      .create();
              if (InjectPods.injected(created)) {
                labeled.incrementAndGet();
              }
            });
    System.out.printf(
        "bench: created %d %s pods in %.1f s, %d labeled%n",
        n, prefix, timing.duration().toMillis() / 1000.0, labeled.get());
    return labeled.get();
  }
}
