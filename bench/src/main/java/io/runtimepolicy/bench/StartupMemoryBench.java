package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fresh operator processes, each timed from process start to /readyz and measured after a full GC:
 * (a) watching an empty namespace; (b) watching the namespace of the N converged Deployments (then
 * the one-change benchmark runs on it, the only policy in that process); (c) the same namespace
 * once M ungoverned Deployments with last-applied annotations were added to it. Each process
 * watches one namespace: with several, the operator mixes them up. (a) and (b) alternate for a few
 * rounds so startup figures are medians of like with like.
 */
final class StartupMemoryBench {

  static final String EMPTY_NAMESPACE = "bench-empty";

  /**
   * {@code withUngovernedFailure}: why (c) did not start (then its figures are absent), else null.
   */
  record Result(
      List<Double> emptyStarts,
      List<Double> governedStarts,
      double withUngovernedStart,
      MemoryProbe.Sample idle,
      MemoryProbe.Sample governed,
      MemoryProbe.Sample withUngoverned,
      String withUngovernedFailure,
      List<OneChangeBench.Result> changes,
      Map<String, Long> errorLines,
      double restartEvents) {}

  private final BenchCluster cluster;
  private final OperatorLauncher launcher;
  private final BenchOptions options;

  StartupMemoryBench(BenchCluster cluster, OperatorLauncher launcher, BenchOptions options) {
    this.cluster = cluster;
    this.launcher = launcher;
    this.options = options;
  }

  Result run() throws Exception {
    cluster.createNamespace(EMPTY_NAMESPACE);
    String governedNs = ConvergenceBench.operatorNamespace(options.largest());
    List<Double> emptyStarts = new ArrayList<>();
    List<Double> governedStarts = new ArrayList<>();
    MemoryProbe.Sample idle = null;
    MemoryProbe.Sample governed = null;
    List<OneChangeBench.Result> changes = new ArrayList<>();
    Map<String, Long> errors = new LinkedHashMap<>();
    double restartEvents = Double.NaN;
    for (int round = 1; round <= options.startupRounds(); round++) {
      boolean last = round == options.startupRounds();
      var empty = launcher.start("startup-empty-" + round, List.of(EMPTY_NAMESPACE));
      emptyStarts.add(seconds(empty.startToReady()));
      if (last) {
        idle = MemoryProbe.measure(empty.process().pid());
      }
      launcher.stop(empty);
      errors.put("0 Deployments", launcher.errorLines(empty));
      var loaded = launcher.start("startup-governed-" + round, List.of(governedNs));
      governedStarts.add(seconds(loaded.startToReady()));
      if (last) {
        awaitFirstReconcile(loaded);
        restartEvents = settledEvents(loaded);
        governed = MemoryProbe.measure(loaded.process().pid());
        for (int i = 0; i < options.changes(); i++) {
          changes.add(
              OneChangeBench.run(
                  cluster, launcher, loaded, governedNs, ConvergenceBench.POLICY, i));
        }
      }
      launcher.stop(loaded);
      errors.put(options.largest() + " governed", launcher.errorLines(loaded));
    }
    createUngoverned(governedNs);
    OperatorLauncher.Running withUngoverned;
    try {
      withUngoverned = launcher.start("startup-with-ungoverned", List.of(governedNs));
    } catch (IllegalStateException exited) {
      String reason =
          exited
              .getMessage()
              .lines()
              .filter(l -> l.contains("Error") || l.contains("exited"))
              .reduce((a, b) -> a + " / " + b)
              .orElse(exited.getMessage());
      System.out.println(
          "bench: the operator did not start with the ungoverned Deployments: " + reason);
      return new Result(
          emptyStarts,
          governedStarts,
          Double.NaN,
          idle,
          governed,
          null,
          reason,
          changes,
          errors,
          restartEvents);
    }
    awaitFirstReconcile(withUngoverned);
    MemoryProbe.Sample third = MemoryProbe.measure(withUngoverned.process().pid());
    launcher.stop(withUngoverned);
    errors.put(
        options.largest() + " governed + " + options.ungoverned() + " ungoverned",
        launcher.errorLines(withUngoverned));
    return new Result(
        emptyStarts,
        governedStarts,
        seconds(withUngoverned.startToReady()),
        idle,
        governed,
        third,
        null,
        changes,
        errors,
        restartEvents);
  }

  /**
   * Events a fresh process over already tuned Deployments writes, by its own counter, once it has
   * written none for 5 s (Events wait for pending workload writes, and there are none): nothing
   * changed, so the old design wrote none. Also keeps them out of the one-change windows.
   */
  private double settledEvents(OperatorLauncher.Running running) {
    return Poll.settled(
        "the Events of " + running.label(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(120),
        () -> OperatorCounters.eventsWritten(launcher.metrics(running)));
  }

  private void awaitFirstReconcile(OperatorLauncher.Running running) {
    Poll.until(
        "the first reconcile of " + running.label(),
        Duration.ofSeconds(120),
        Duration.ofMillis(100),
        () -> OperatorCounters.reconciles(launcher.metrics(running)) >= 1);
    Poll.settled(
        "the reconciles of " + running.label(),
        Duration.ofSeconds(2),
        Duration.ofSeconds(120),
        () -> OperatorCounters.reconciles(launcher.metrics(running)));
  }

  private void createUngoverned(String namespace) {
    var client = cluster.client();
    ParallelLoop.Timing timing =
        ParallelLoop.run(
            options.ungoverned(),
            options.threads(),
            i -> {
              Deployment d = Workloads.ungoverned(namespace, String.format("other-%05d", i), true);
              client.apps().deployments().inNamespace(namespace).resource(d).create();
            });
    System.out.printf(
        "bench: created %d ungoverned Deployments in %.1f s%n",
        options.ungoverned(), timing.duration().toMillis() / 1000.0);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
