package io.runtimepolicy.bench;

import io.runtimepolicy.local.OperatorProcess;
import io.runtimepolicy.testing.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code make bench}: the benchmarks of docs/performance.md on the pinned control plane, each
 * figure next to a baseline measured in the same run. Prints a table, writes JSON and a chart.
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
    BenchOptions options = BenchOptions.parse(args, System.getenv(), root);
    // The chart is written next to the JSON as soon as convergence ends.
    Files.createDirectories(options.out().getParent());
    Report report = new Report();
    describe(report, options, root);
    try (Cleanup cleanup = new Cleanup()) {
      run(options, report, cleanup, root);
    }
    System.out.println();
    report.printTable(System.out);
    report.writeJson(options.out());
    System.out.println("\nbench: wrote " + options.out());
  }

  private static void run(BenchOptions options, Report report, Cleanup cleanup, Path root)
      throws Exception {
    BenchCluster cluster = BenchCluster.start(root, cleanup, options.fullCluster());
    OperatorLauncher launcher = new OperatorLauncher(cluster, options, cleanup);
    ConvergenceBench bench = new ConvergenceBench(cluster, options.threads());
    List<ConvergenceBench.Limit> limits = new ArrayList<>();
    if (options.runs("convergence")) {
      report.phase("convergence limit: plain loop, no operator running");
      for (int n : options.sizes()) {
        limits.add(bench.limit(n));
        if (cluster.full()) {
          // Their pods would only crowd the fake nodes, which hold 330.
          bench.deleteLimitDeployments(n);
        }
      }
    }
    // Every namespace, as the chart runs it; its webhook registered (launcher.start) before the
    // first operator figure.
    var main = launcher.start("operator-main", List.of());
    if (options.runs("convergence")) {
      report.phase("convergence: operator");
      List<ConvergenceBench.Result> results = new ArrayList<>();
      for (ConvergenceBench.Limit limit : limits) {
        results.add(bench.operator(limit));
      }
      Figures.convergence(report, results, options.threads());
      Path png = chartPath(options.out());
      ConvergenceChart.write(results, options.threads(), png);
      System.out.println("bench: wrote " + png);
    }
    SteadyStateWindow steady = null;
    if (options.runs("steady-state") && cluster.full() && options.runs("convergence")) {
      report.phase("rollouts of the converged Deployments");
      int n = options.largest();
      Rollouts.Summary rollouts =
          Rollouts.await(
              cluster.client(),
              List.of(ConvergenceBench.operatorNamespace(n), ConvergenceBench.atOnceNamespace(n)),
              java.time.Duration.ofMinutes(10));
      Figures.rollouts(report, rollouts, n);
    }
    if (options.runs("steady-state")) {
      report.phase("steady state (" + steadyWindow(options).toSeconds() + " s)");
      steady = SteadyStateWindow.measure(cluster, launcher, main, steadyWindow(options));
    }
    if (options.runs("webhook")) {
      report.phase("webhook");
      WebhookBench webhook = new WebhookBench(cluster, options, cleanup);
      Figures.webhook(report, webhook.direct(main.webhookPort(), launcher.logs()));
    }
    launcher.stop(main);
    long errors = launcher.errorLines(main);
    report.add(
        Figure.of(
                "operator log",
                "ERROR lines, convergence to webhook (main process)",
                errors,
                "count")
            .target("= 0", errors == 0));
    if (steady != null) {
      report.phase("baseline window without operator");
      Figures.steadyState(
          report,
          steady,
          SteadyStateWindow.measure(cluster, launcher, null, steadyWindow(options)));
    }
    if (options.runs("admission")) {
      report.phase("admission: creates with and without the webhook");
      AdmissionFigures.admission(
          report, new AdmissionBench(cluster, launcher, options, cleanup).run());
    }
    if (options.runs("startup-memory")) {
      report.phase("startup, memory and one change");
      StartupMemoryBench.Result result = new StartupMemoryBench(cluster, launcher, options).run();
      Figures.startupMemory(
          report,
          result,
          options.largest(),
          options.ungoverned(),
          ChartJvmOptions.memoryLimitBytes(root) / Figures.MIB);
      Figures.oneChange(report, result.changes(), options.largest());
    }
    if (options.runs("runtime")) {
      report.phase("runtime: the operator's own JVM, candidate by candidate");
      Figures.runtime(report, new RuntimeBench(cluster, launcher, options).run());
    }
    if (options.runs("kind-memory")) {
      report.phase("memory: heap per workload of every watched kind");
      Figures.kindMemory(report, new KindMemoryBench(cluster, launcher, options).run());
    }
    if (options.runs("inject") && cluster.full()) {
      // The scheduler and the fake nodes would take its 2,600 pods of 500m, and the kubelets'
      // status writes would wake the pod watch: not what it measures.
      System.out.println("bench: the inject phase runs on the bare API server only: skipped");
    } else if (options.runs("inject")) {
      report.phase("inject: pod creates with and without the Pod webhook, its load");
      InjectFigures.creates(report, new InjectBench(cluster, launcher, options, cleanup).run());
      report.phase("inject: heap per injected and per ungoverned pod");
      InjectFigures.memory(report, new InjectMemoryBench(cluster, launcher, options).run());
    }
    if (options.runs("classlist")) {
      report.phase("classlist: the classes the operator's archive holds (hack/jlink.sh)");
      ClassListTraining.run(cluster, launcher, options);
    }
    // Last: it fills the API server with 110,000 workloads (deleted at its end).
    if (options.runs("scale")) {
      report.phase("scale: the operator over every namespace at DESIGN.md's size");
      Figures.scale(
          report,
          new ScaleBench(cluster, launcher, options).run(),
          ChartJvmOptions.memoryLimitBytes(root) / Figures.MIB);
    }
  }

  /** Two resync periods and a margin, so every policy is resynced at least twice inside it. */
  static java.time.Duration steadyWindow(BenchOptions options) {
    return options.resync().multipliedBy(2).plusSeconds(10);
  }

  static Path chartPath(Path json) {
    String name = json.getFileName().toString().replaceFirst("\\.json$", "");
    return json.resolveSibling(name + "-convergence.png");
  }

  private static void describe(Report report, BenchOptions options, Path root) throws Exception {
    report.machine("date", Instant.now().toString());
    report.machine("nproc", Runtime.getRuntime().availableProcessors());
    report.machine(
        "memTotal", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
    report.machine(
        "cpu",
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .orElse("?")
            .replaceFirst(".*:\\s*", ""));
    report.machine(
        "benchJvm",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    report.machine("operatorJava", OperatorProcess.java(root).toString());
    report.machine("operatorJavaOptions", options.operatorJavaOptions());
    report.machine("kubeVersion", ControlPlane.kubeVersion());
    report.machine("jcmd", MemoryProbe.jcmd().toString());
    report.option("n", options.sizes());
    report.option("ungoverned", options.ungoverned());
    report.option("clientThreads", options.threads());
    report.option("resync", options.resync().toString());
    report.option("webhookRates", options.webhookRates());
    report.option("webhookDuration", options.webhookDuration().toString());
    report.option("webhookWarmup", options.webhookWarmup().toString());
    report.option("webhookCreates", options.webhookCreates());
    report.option("admissionN", options.admissionN());
    report.option("injectCreates", options.injectCreates());
    report.option("injectN", options.injectN());
    report.option("injectRates", options.injectRates());
    report.option("cluster", options.cluster());
    report.option("startupRounds", options.startupRounds());
    report.option("changes", options.changes());
    report.option("scaleNamespaces", options.scaleNamespaces());
    report.option("scaleUngoverned", options.scaleUngoverned());
    report.option("scaleGoverned", options.scaleGoverned());
    report.option("phases", options.phases());
  }
}
