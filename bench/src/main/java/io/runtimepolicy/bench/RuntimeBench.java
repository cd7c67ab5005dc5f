package io.runtimepolicy.bench;

import io.runtimepolicy.local.OperatorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's own runtime, candidate by candidate: each a Java runtime, JVM options and
 * environment, started against an empty namespace in rounds that alternate the candidates (so each
 * sees the same machine), timed from process start to /readyz, and measured idle after a full GC on
 * the last round: RSS, heap and threads. Candidates that need an archive (class-data sharing, the
 * JDK 25 AOT cache) get it from a training start of their own first.
 */
final class RuntimeBench {

  static final String NAMESPACE = "bench-runtime";
  static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  /**
   * {@code training}: options of a first start whose exit writes {@code archive}; both null when
   * the candidate needs none.
   */
  record Candidate(
      String name,
      Path java,
      String options,
      Map<String, String> env,
      String training,
      Path archive) {

    Candidate(String name, Path java, String options, Map<String, String> env) {
      this(name, java, options, env, null, null);
    }
  }

  record Measured(
      Candidate candidate, List<Double> starts, MemoryProbe.Sample idle, long threads) {}

  record Result(List<Measured> candidates, List<String> skipped, String nativeMemory) {}

  private final BenchCluster cluster;
  private final OperatorLauncher launcher;
  private final BenchOptions options;

  RuntimeBench(BenchCluster cluster, OperatorLauncher launcher, BenchOptions options) {
    this.cluster = cluster;
    this.launcher = launcher;
    this.options = options;
  }

  Result run() {
    cluster.createNamespace(NAMESPACE);
    List<String> skipped = new ArrayList<>();
    List<Candidate> candidates = new ArrayList<>();
    for (Candidate c : candidates()) {
      if (!Files.isExecutable(c.java())) {
        skipped.add(c.name() + ": no " + c.java());
      } else if (c.training() != null && !train(c)) {
        skipped.add(c.name() + ": its training start wrote no archive");
      } else {
        candidates.add(c);
      }
    }
    Map<Candidate, List<Double>> starts = new LinkedHashMap<>();
    Map<Candidate, MemoryProbe.Sample> idle = new LinkedHashMap<>();
    Map<Candidate, Long> threads = new LinkedHashMap<>();
    for (int round = 1; round <= options.startupRounds(); round++) {
      for (Candidate c : candidates) {
        var running = start(c, "runtime-" + slug(c) + "-" + round, c.options());
        starts.computeIfAbsent(c, k -> new ArrayList<>()).add(seconds(running));
        if (round == options.startupRounds()) {
          settle(running);
          idle.put(c, MemoryProbe.measure(running.process().pid()));
          threads.put(c, threads(running.process().pid()));
        }
        launcher.stop(running);
      }
    }
    List<Measured> measured = new ArrayList<>();
    for (Candidate c : candidates) {
      measured.add(new Measured(c, starts.get(c), idle.get(c), threads.get(c)));
    }
    return new Result(measured, skipped, nativeMemory(candidates.get(0)));
  }

  /** The chart's runtime and options first: the baseline of every ratio. */
  private List<Candidate> candidates() {
    Path shipped = OperatorProcess.java(cluster.root());
    String chart = options.operatorJavaOptions();
    Path archives = cluster.root().resolve("bench/target");
    Path appCds = archives.resolve("operator-app-cds.jsa");
    Path aot = archives.resolve("operator.aot");
    Map<String, String> none = Map.of();
    return List.of(
        new Candidate("the chart's (jlink JDK 17)", shipped, chart, none),
        new Candidate("without class-data sharing", shipped, chart + " -Xshare:off", none),
        new Candidate(
            "+ the operator's classes archived (AppCDS)",
            shipped,
            chart + " -XX:SharedArchiveFile=" + appCds,
            none,
            chart + " -XX:ArchiveClassesAtExit=" + appCds,
            appCds),
        new Candidate("+ C1 only", shipped, chart + " -XX:TieredStopAtLevel=1", none),
        new Candidate("+ 2 malloc arenas", shipped, chart, Map.of("MALLOC_ARENA_MAX", "2")),
        new Candidate(
            "+ smaller code cache and stacks",
            shipped,
            chart + " -XX:ReservedCodeCacheSize=32m -Xss512k",
            none),
        new Candidate("JDK 25", JDK_25, chart, none),
        new Candidate(
            "JDK 25 + compact object headers",
            JDK_25,
            chart + " -XX:+UseCompactObjectHeaders",
            none),
        new Candidate(
            "JDK 25 + AOT cache",
            JDK_25,
            chart + " -XX:AOTCache=" + aot,
            none,
            chart + " -XX:AOTCacheOutput=" + aot,
            aot));
  }

  /** A start that ends in a clean exit, which writes the candidate's archive. */
  private boolean train(Candidate c) {
    Path archive = Path.of(c.options().substring(c.options().lastIndexOf('=') + 1).trim());
    try {
      Files.deleteIfExists(archive);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var running = start(c, "runtime-" + slug(c) + "-training", c.training());
    settle(running);
    launcher.stop(running);
    return Files.isRegularFile(c.archive());
  }

  private OperatorLauncher.Running start(Candidate c, String label, String javaOptions) {
    return launcher.startOn(label, List.of(NAMESPACE), c.java(), javaOptions, c.env());
  }

  /** The baseline's native memory by category, from a start of its own with tracking on. */
  private String nativeMemory(Candidate baseline) {
    var running =
        start(
            baseline,
            "runtime-native-memory",
            baseline.options() + " -XX:NativeMemoryTracking=summary");
    try {
      settle(running);
      return MemoryProbe.nativeMemory(running.process().pid());
    } finally {
      launcher.stop(running);
    }
  }

  private void settle(OperatorLauncher.Running running) {
    Poll.settled(
        "the reconciles of " + running.label(),
        java.time.Duration.ofSeconds(2),
        java.time.Duration.ofSeconds(60),
        () -> OperatorCounters.reconciles(launcher.metrics(running)));
  }

  private static long threads(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("Threads:"))
          .mapToLong(l -> Long.parseLong(l.substring("Threads:".length()).trim()))
          .findFirst()
          .orElse(-1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double seconds(OperatorLauncher.Running running) {
    return running.startToReady().toNanos() / 1e9;
  }

  private static String slug(Candidate c) {
    return c.name().toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
