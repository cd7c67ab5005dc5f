package io.runtimepolicy.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Turns each benchmark's results into the reported figures, with the targets. */
final class Figures {

  static final double MIB = 1024.0 * 1024.0;

  private Figures() {}

  static void convergence(Report report, List<ConvergenceBench.Result> results, int threads) {
    for (ConvergenceBench.Result r : results) {
      String n = "N=" + r.n() + ": ";
      Figure op =
          Figure.of(
                  "convergence",
                  n + "reconciler: policy created over N existing",
                  r.operatorSeconds(),
                  "s")
              .vs(r.limitSeconds(), "plain SSA loop, " + threads + " threads");
      report.add(r.n() == 1000 ? op.target("<= 1.2x limit", op.ratio() <= 1.2) : op);
      report.add(
          Figure.of(
                  "convergence",
                  n + "reconciler: policy created over N existing",
                  r.operatorSeconds(),
                  "s")
              .vs(
                  r.limitThroughWebhookSeconds(),
                  "plain SSA loop, " + threads + " threads, each apply through the webhook"));
      report.add(
          Figure.of(
                  "convergence",
                  n + "plain SSA loop through the webhook (no patch)",
                  r.limitThroughWebhookSeconds(),
                  "s")
              .vs(r.limitSeconds(), "plain SSA loop, no webhook"));
      report.add(
          Figure.of(
                  "convergence",
                  n + "reconciler: until its last Event is written",
                  r.operatorEventsSeconds(),
                  "s")
              .vs(r.limitSeconds(), "plain SSA loop, " + threads + " threads"));
      report.add(
          Figure.of(
                  "convergence",
                  n + "plain loop on 1 thread, each apply + an Event",
                  r.serialWithEventsSeconds(),
                  "s")
              .vs(r.serialSeconds(), "plain loop on 1 thread"));
      report.add(
          Figure.of(
                  "convergence",
                  n + "admission: N created at once, to status exact (clock: first create)",
                  r.atOnceSeconds(),
                  "s")
              .vs(r.createSeconds() + r.limitSeconds(), "create loop + plain loop"));
      report.add(
          Figure.of(
                  "convergence",
                  n + "admission: the create loop of that run",
                  r.atOnceCreateSeconds(),
                  "s")
              .vs(r.createSeconds(), "create loop, no webhook, no operator"));
      long atOnceUpdates =
          r.atOnceRequests().entrySet().stream()
              .filter(e -> ApiRequests.WRITE_VERBS.contains(e.getKey().split(" ")[0]))
              .filter(e -> e.getKey().endsWith(" deployments"))
              .filter(e -> !e.getKey().startsWith("POST "))
              .mapToLong(Map.Entry::getValue)
              .sum();
      report.add(
          Figure.of(
                  "convergence",
                  n + "admission: Deployment writes besides the creates",
                  atOnceUpdates,
                  "count")
              .target("= 0", atOnceUpdates == 0));
      long writes =
          r.operatorRequests().entrySet().stream()
                  .filter(e -> ApiRequests.WRITE_VERBS.contains(e.getKey().split(" ")[0]))
                  .mapToLong(Map.Entry::getValue)
                  .sum()
              - 1;
      report.add(
          Figure.of(
                  "convergence",
                  n + "API writes by the operator (reconciler path)",
                  writes,
                  "count")
              .vs(r.n(), "plain loop: 1 apply per Deployment"));
    }
    report.detail("convergence", results);
  }

  /**
   * Full cluster: what the rollouts left before the steady-state window, per namespace. Admitted
   * Deployments were created tuned: one ReplicaSet each. The reconciler's existed untuned: a second
   * ReplicaSet where the deployment controller had rolled out the untuned template before the
   * reconciler's write, one where the tuning came first.
   */
  static void rollouts(Report report, Rollouts.Summary r, int n) {
    String s = "rollouts (full cluster)";
    int reconciled = r.replicaSets().get(0);
    int admitted = r.replicaSets().get(1);
    report.add(
        Figure.of(s, "ReplicaSets, N admitted (created tuned)", admitted, "count")
            .vs(n, "one per Deployment")
            .target("= N", admitted == n));
    report.add(
        Figure.of(s, "ReplicaSets, N reconciled (existed untuned)", reconciled, "count")
            .vs(2 * n, "at most: untuned, then tuned")
            .target("N to 2N", reconciled >= n && reconciled <= 2 * n));
    int pods = r.runningPods().stream().mapToInt(Integer::intValue).sum();
    int deployments = r.deployments().stream().mapToInt(Integer::intValue).sum();
    report.add(Figure.of(s, "pods Running", pods, "count").vs(2 * deployments, "2 replicas each"));
    report.detail("rollouts", r);
  }

  static void steadyState(Report report, SteadyStateWindow window, SteadyStateWindow baseline) {
    String len = " (" + window.length().toSeconds() + " s window)";
    report.add(
        Figure.of(
                "steady state",
                "operator writes: deployments, runtimepolicies, events" + len,
                window.operatorWrites(),
                "count")
            .target("= 0", window.operatorWrites() == 0));
    report.add(
        Figure.of(
                "steady state",
                "Deployment writes counted by the operator" + len,
                window.deploymentsPatched(),
                "count")
            .target("= 0", window.deploymentsPatched() == 0));
    report.add(
        Figure.of(
                "steady state",
                "Events written, by the operator's own counter" + len,
                window.eventsWritten(),
                "count")
            .target("= 0", window.eventsWritten() == 0));
    long controllerStatus = window.requests().writes(r -> r.equals("deployments/status"));
    report.add(
        Figure.of(
            "steady state",
            "deployments/status writes by the controllers" + len,
            controllerStatus,
            "count"));
    report.add(
        Figure.of(
                "steady state",
                "reads of deployments, runtimepolicies, events",
                window.operatorReadsPerMinute(),
                "/min")
            .vs(baseline.operatorReadsPerMinute(), "no operator"));
    report.add(
        Figure.of("steady state", "all API requests", window.allRequestsPerMinute(), "/min")
            .vs(baseline.allRequestsPerMinute(), "no operator"));
    report.add(
        Figure.of("steady state", "reconciles", window.perMinute(window.reconciles()), "/min"));
    for (String resource : List.of("deployments", "runtimepolicies")) {
      report.add(
          Figure.of(
                  "steady state",
                  "open watches on " + resource,
                  window.openWatches().getOrDefault(resource, 0L),
                  "count")
              .vs(baseline.openWatches().getOrDefault(resource, 0L), "no operator"));
    }
    report.detail("steadyState", Map.of("withOperator", window, "withoutOperator", baseline));
  }

  /** One change, repeated on different Deployments: latencies as medians, writes as the worst. */
  /** Heap per ungoverned and per governed workload of each kind (issue 21's targets). */
  static void kindMemory(Report report, KindMemoryBench.Result r) {
    for (KindMemoryBench.PerKind kind : r.kinds()) {
      report.add(
          Figure.of("kind memory", "heap per ungoverned " + kind.kind(), kind.perUngoverned(), "B")
              .target("<= 256 B", kind.perUngoverned() <= 256));
      report.add(
          Figure.of("kind memory", "heap per governed " + kind.kind(), kind.perGoverned(), "B")
              .target("<= 2048 B", kind.perGoverned() <= 2048));
    }
    report.add(
        Figure.of(
                "kind memory",
                "heap after full GC, every kind's batches",
                mib(r.after().heapLiveBytes()),
                "MiB")
            .vs(mib(r.before().heapLiveBytes()), "before the first batch"));
    report.add(
        Figure.of(
                "kind memory",
                "heap after full GC, all " + r.created() + " deleted again",
                mib(r.gone().heapLiveBytes()),
                "MiB")
            .vs(mib(r.before().heapLiveBytes()), "before the first batch"));
    report.detail(
        "liveBytesGrowthByClass_kindBatches", MemoryProbe.topGrowth(r.before(), r.after(), 15));
    report.detail(
        "liveBytesLeftByClass_allDeleted", MemoryProbe.topGrowth(r.before(), r.gone(), 15));
    report.detail("kindMemory", r.kinds());
    // The status caps its results; etcd refuses a request over 1.5 MiB.
    report.add(
        Figure.of(
                "kind memory",
                "policy status as JSON, " + r.targets() + " workloads, " + r.listed() + " listed",
                r.statusBytes() / 1024.0,
                "KiB")
            .vs(1536, "etcd's request limit"));
  }

  /**
   * Each runtime candidate against the chart's: start to /readyz (median), idle RSS, heap, threads.
   */
  static void runtime(Report report, RuntimeBench.Result r) {
    RuntimeBench.Measured base = r.candidates().get(0);
    double baseStart = median(base.starts());
    double baseRss = mib(base.idle().rssBytes());
    for (RuntimeBench.Measured m : r.candidates()) {
      String name = m.candidate().name();
      double start = median(m.starts());
      double rss = mib(m.idle().rssBytes());
      boolean isBase = m == base;
      Figure startFigure = Figure.of("runtime", name + ": start to /readyz (median)", start, "s");
      Figure rssFigure = Figure.of("runtime", name + ": RSS idle", rss, "MiB");
      report.add(
          isBase
              ? startFigure.target("< 2 s", start < 2)
              : startFigure.vs(baseStart, "the chart's"));
      report.add(
          isBase ? rssFigure.target("< 128 MiB", rss < 128) : rssFigure.vs(baseRss, "the chart's"));
      report.add(
          Figure.of(
              "runtime",
              name + ": heap after full GC, idle",
              mib(m.idle().heapLiveBytes()),
              "MiB"));
      report.add(Figure.of("runtime", name + ": threads", m.threads(), "count"));
    }
    r.skipped().forEach(s -> System.out.println("bench: runtime candidate skipped: " + s));
    report.detail("runtimeSkipped", r.skipped());
    report.detail("runtimeNativeMemoryCommitted", r.nativeMemory().lines().toList());
    System.out.print(
        "bench: native memory of the chart's runtime, committed:\n" + r.nativeMemory());
  }

  static void oneChange(Report report, List<OneChangeBench.Result> changes, int n) {
    String s = "one change among " + n + " (" + changes.size() + " changes)";
    report.add(
        Figure.of(
            s,
            "CPU limit change to new flags, median",
            median(map(changes, OneChangeBench.Result::flagsSeconds)),
            "s"));
    report.add(
        Figure.of(
            s,
            "CPU limit change to status showing it, median",
            median(map(changes, OneChangeBench.Result::statusSeconds)),
            "s"));
    double deployments = max(changes, OneChangeBench.Result::deploymentWrites);
    double status = max(changes, OneChangeBench.Result::statusWrites);
    report.add(
        Figure.of(s, "Deployment writes, worst change", deployments, "count")
            .target("<= 1", deployments <= 1));
    report.add(
        Figure.of(s, "status writes, worst change", status, "count").target("<= 1", status <= 1));
    report.add(
        Figure.of(
                s,
                "status writes, all changes",
                sum(changes, OneChangeBench.Result::statusWrites),
                "count")
            .vs(sum(changes, OneChangeBench.Result::statusChanges), "of which changed the policy"));
    report.add(
        Figure.of(
            s,
            "Event writes, worst change",
            max(changes, OneChangeBench.Result::eventWrites),
            "count"));
    report.add(
        Figure.of(
                s,
                "reconciles, all changes",
                sum(changes, OneChangeBench.Result::reconciles),
                "count")
            .vs(changes.size(), "changes"));
    report.detail("oneChange", changes);
  }

  private static List<Double> map(
      List<OneChangeBench.Result> changes, ToDoubleFunction<OneChangeBench.Result> f) {
    return changes.stream().map(c -> f.applyAsDouble(c)).toList();
  }

  private static double max(
      List<OneChangeBench.Result> changes, ToDoubleFunction<OneChangeBench.Result> f) {
    return changes.stream().mapToDouble(f).max().orElse(Double.NaN);
  }

  private static double sum(
      List<OneChangeBench.Result> changes, ToDoubleFunction<OneChangeBench.Result> f) {
    return changes.stream().mapToDouble(f).sum();
  }

  static void startupMemory(
      Report report, StartupMemoryBench.Result r, int n, int m, double chartLimitMiB) {
    double empty = median(r.emptyStarts());
    double governed = median(r.governedStarts());
    report.add(
        Figure.of("startup", "start to /readyz, " + n + " governed (median)", governed, "s")
            .vs(empty, "0 Deployments")
            .target("< 5 s", governed < 5));
    boolean third = r.withUngoverned() != null;
    if (third) {
      report.add(
          Figure.of(
                  "startup",
                  "start to /readyz, " + n + " governed + " + m + " ungoverned",
                  r.withUngovernedStart(),
                  "s")
              .vs(empty, "0 Deployments"));
    } else {
      report.add(
          Figure.of(
                  "startup", "starts with " + n + " governed + " + m + " ungoverned", 0, "started")
              .target("starts: " + r.withUngovernedFailure(), false));
    }
    report.add(
        Figure.of("memory", "heap after full GC, idle", mib(r.idle().heapLiveBytes()), "MiB"));
    report.add(
        Figure.of(
                "memory",
                "heap after full GC, " + n + " governed",
                mib(r.governed().heapLiveBytes()),
                "MiB")
            .vs(mib(r.idle().heapLiveBytes()), "idle"));
    report.add(
        Figure.of(
            "memory",
            "heap per governed Deployment",
            (r.governed().heapLiveBytes() - r.idle().heapLiveBytes()) / (double) n,
            "B"));
    report.add(
        Figure.of("memory", "RSS idle", mib(r.idle().rssBytes()), "MiB")
            .target("< 200 MiB", mib(r.idle().rssBytes()) < 200));
    report.add(
        Figure.of("memory", "RSS, " + n + " governed", mib(r.governed().rssBytes()), "MiB")
            .vs(mib(r.idle().rssBytes()), "idle"));
    if (third) {
      report.add(
          Figure.of(
                  "memory",
                  "heap after full GC, + " + m + " ungoverned",
                  mib(r.withUngoverned().heapLiveBytes()),
                  "MiB")
              .vs(mib(r.governed().heapLiveBytes()), n + " governed"));
      double perUngoverned =
          (r.withUngoverned().heapLiveBytes() - r.governed().heapLiveBytes()) / (double) m;
      report.add(
          Figure.of("memory", "heap per ungoverned Deployment", perUngoverned, "B")
              .target("<= 2048 B", perUngoverned <= 2048));
      report.add(
          Figure.of(
                  "memory",
                  "RSS, + " + m + " ungoverned",
                  mib(r.withUngoverned().rssBytes()),
                  "MiB")
              .vs(mib(r.idle().rssBytes()), "idle"));
      report.add(
          Figure.of(
                  "memory",
                  "peak RSS (VmHWM), + " + m + " ungoverned",
                  mib(r.withUngoverned().peakRssBytes()),
                  "MiB")
              .vs(chartLimitMiB, "chart memory limit"));
    }
    report.add(
        Figure.of(
                "startup",
                "Events written by a fresh operator over " + n + " tuned (its own counter)",
                r.restartEvents(),
                "count")
            .target("= 0", r.restartEvents() == 0));
    r.errorLines()
        .forEach(
            (what, lines) ->
                report.add(
                    Figure.of(
                            "startup", "ERROR lines in the operator's log, " + what, lines, "count")
                        .target("= 0", lines == 0)));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("startSecondsEmpty", r.emptyStarts());
    details.put("startSecondsGoverned", r.governedStarts());
    details.put("idle", summary(r.idle()));
    details.put("governed", summary(r.governed()));
    details.put(
        "liveBytesGrowthByClass_idleToGoverned", MemoryProbe.topGrowth(r.idle(), r.governed(), 12));
    if (third) {
      details.put("startSecondsWithUngoverned", r.withUngovernedStart());
      details.put("withUngoverned", summary(r.withUngoverned()));
      details.put(
          "liveBytesGrowthByClass_governedToWithUngoverned",
          MemoryProbe.topGrowth(r.governed(), r.withUngoverned(), 12));
    } else {
      details.put("withUngovernedFailure", r.withUngovernedFailure());
    }
    report.detail("startupMemory", details);
  }

  /** The scale phase: issue 21's figures at DESIGN.md's size, against their targets. */
  static void scale(Report report, ScaleBench.Result r, double chartLimitMiB) {
    String s = "scale";
    String size =
        r.governed() + " governed + " + r.ungoverned() + " ungoverned, " + r.namespaces() + " ns";
    double heap = mib(r.sample().heapLiveBytes());
    report.add(
        Figure.of(s, "heap after full GC, " + size, heap, "MiB").target("<= 96 MiB", heap <= 96));
    report.add(
        Figure.of(s, "start to /readyz, " + size, r.startToReadySeconds(), "s")
            .target("< 10 s", r.startToReadySeconds() < 10));
    report.add(
        Figure.of(s, "start to every workload cache synced", r.cachesSyncedSeconds(), "s")
            .vs(r.list().seconds(), "the bench's paged LIST of every workload, bytes only"));
    report.add(
        Figure.of(
            s,
            "paged LIST of every workload: "
                + r.list().pages()
                + " pages of 500, "
                + Math.round(mib(r.list().bytes()))
                + " MiB",
            r.list().seconds(),
            "s"));
    report.add(
        Figure.of(
            s, "reconciles settled after every cache synced", r.reconcileSettleSeconds(), "s"));
    double rss = mib(r.sample().rssBytes());
    double peak = mib(r.sample().peakRssBytes());
    report.add(
        Figure.of(s, "RSS after full GC", rss, "MiB")
            .vs(chartLimitMiB, "chart memory limit")
            .target("< " + Math.round(chartLimitMiB) + " MiB", rss < chartLimitMiB));
    report.add(
        Figure.of(s, "peak RSS (VmHWM) since start", peak, "MiB")
            .vs(chartLimitMiB, "chart memory limit")
            .target("< " + Math.round(chartLimitMiB) + " MiB", peak < chartLimitMiB));
    if (!r.changes().isEmpty()) {
      double flags = median(map(r.changes(), OneChangeBench.Result::flagsSeconds));
      double status = median(map(r.changes(), OneChangeBench.Result::statusSeconds));
      double worst = max(r.changes(), OneChangeBench.Result::statusSeconds);
      report.add(Figure.of(s, "one change: CPU limit to new flags, median", flags, "s"));
      report.add(
          Figure.of(s, "one change: CPU limit to flags and status, median", status, "s")
              .target("< 1 s", status < 1));
      report.add(
          Figure.of(
                  s,
                  "one change: CPU limit to flags and status, worst of " + r.changes().size(),
                  worst,
                  "s")
              .target("< 1 s", worst < 1));
      double writes = max(r.changes(), OneChangeBench.Result::deploymentWrites);
      report.add(
          Figure.of(s, "one change: Deployment writes, worst change", writes, "count")
              .target("<= 1", writes <= 1));
    }
    report.add(
        Figure.of(
                s,
                "largest policy status as JSON ("
                    + r.statusTargets()
                    + " workloads, "
                    + r.statusListed()
                    + " listed)",
                r.statusBytes(),
                "B")
            .vs(1536 * 1024, "etcd's request limit"));
    report.add(
        Figure.of(s, "every policy status as JSON, total", r.totalStatusBytes() / 1024.0, "KiB"));
    report.add(Figure.of(s, "creation: namespaces with a policy", r.namespacesSeconds(), "s"));
    report.add(Figure.of(s, "creation: governed, through the webhook", r.governedSeconds(), "s"));
    report.add(Figure.of(s, "creation: ungoverned", r.ungovernedSeconds(), "s"));
    report.add(Figure.of(s, "deletion of every scale object", r.deleteSeconds(), "s"));
    report.add(
        Figure.of(s, "ERROR lines in the operator's log", r.errorLines(), "count")
            .target("= 0", r.errorLines() == 0));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("governedByKind", r.governedByKind());
    details.put("largestStatusPolicy", r.statusPolicy());
    details.put("memory", summary(r.sample()));
    details.put("largestClasses", r.topClasses());
    details.put("oneChange", r.changes());
    report.detail("scale", details);
  }

  private static double mib(long bytes) {
    return bytes / MIB;
  }

  static void webhook(Report report, List<WebhookBench.Direct> direct) {
    for (WebhookBench.Direct d : direct) {
      String at = d.rate() + "/s: ";
      report.add(
          Figure.of("webhook", at + "p50", d.operator().latencies().p50Ms(), "ms")
              .vs(d.trivial().latencies().p50Ms(), "trivial"));
      Figure p99 =
          Figure.of("webhook", at + "p99", d.operator().latencies().p99Ms(), "ms")
              .vs(d.trivial().latencies().p99Ms(), "trivial");
      double over = d.operator().latencies().p99Ms() - d.trivial().latencies().p99Ms();
      report.add(d.rate() == 200 ? p99.target("<= trivial + 2 ms", over <= 2) : p99);
      report.add(
          Figure.of("webhook", at + "max", d.operator().latencies().maxMs(), "ms")
              .vs(d.trivial().latencies().maxMs(), "trivial"));
      Figure errors =
          Figure.of("webhook", at + "errors", d.operator().errors(), "count")
              .vs(d.trivial().errors(), "trivial");
      report.add(d.rate() == 200 ? errors.target("= 0", d.operator().errors() == 0) : errors);
      report.add(
          Figure.of("webhook", at + "answered per second", d.operator().answeredPerSecond(), "/s")
              .vs(d.trivial().answeredPerSecond(), "trivial"));
    }
    report.detail("webhook", Map.of("direct", direct));
  }

  private static Map<String, Long> summary(MemoryProbe.Sample s) {
    return Map.of(
        "heapLiveBytes",
        s.heapLiveBytes(),
        "oldGenUsedBytes",
        s.oldGenUsedBytes(),
        "heapUsedBytes",
        s.heapUsedBytes(),
        "heapCommittedBytes",
        s.heapCommittedBytes(),
        "liveBytes",
        s.liveBytes(),
        "rssBytes",
        s.rssBytes(),
        "peakRssBytes",
        s.peakRssBytes());
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }
}
