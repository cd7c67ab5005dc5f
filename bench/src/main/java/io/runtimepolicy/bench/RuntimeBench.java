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
 * the last round: RSS, heap and threads. A candidate that needs an archive of its own (the JDK 25
 * AOT cache) gets it from a training start first; the operator's class archive is hack/jlink.sh's.
 */
final class RuntimeBench {

  static final String NAMESPACE = "bench-runtime";
  static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  /**
   * The heap kept small: a young generation a fifth of the heap (the serial collector's default is
   * a third), and memory given back after a collection down to live plus this free share (its
   * default keeps up to 70 % free), so the idle heap committed is about live + 30 %.
   */
  static final String HEAP_SMALL =
      " -XX:NewRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30";

  /** The client compiler only: no C2 thread, its arenas or the code C2 would add. */
  static final String C1_ONLY = " -XX:TieredStopAtLevel=1";

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

  /**
   * The chart's runtime and options first, the baseline of every ratio: the jlink runtime with the
   * operator's class archive (OperatorProcess passes it, as the image's entrypoint does, to options
   * that do not choose their own sharing).
   */
  private List<Candidate> candidates() {
    Path shipped = OperatorProcess.java(cluster.root());
    String chart = options.operatorJavaOptions();
    String core = without(chart, C1_ONLY, HEAP_SMALL);
    Path runtimeArchive = shipped.getParent().getParent().resolve("lib/server/classes.jsa");
    Path aot = cluster.root().resolve("bench/target/operator.aot");
    Map<String, String> none = Map.of();
    return List.of(
        new Candidate("the chart's", shipped, chart, none),
        new Candidate(
            "the runtime's CDS archive only (no operator classes)",
            shipped,
            chart + " -XX:SharedArchiveFile=" + runtimeArchive,
            none),
        new Candidate("without class-data sharing", shipped, chart + " -Xshare:off", none),
        new Candidate(
            "+ the archive mapped where it was dumped (ArchiveRelocationMode=0)",
            shipped,
            chart + " -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0",
            none),
        new Candidate("C2 too and the heap's defaults (the JVM's defaults)", shipped, core, none),
        new Candidate("C1 only, the heap's defaults", shipped, core + C1_ONLY, none),
        new Candidate("the heap kept small, C2 too", shipped, core + HEAP_SMALL, none),
        new Candidate(
            "+ 256k thread stacks, no perf data file",
            shipped,
            chart + " -Xss256k -XX:-UsePerfData",
            none),
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

  /** {@code options} without each of {@code flags} (each a space-led run of options). */
  static String without(String options, String... flags) {
    String left = " " + options.trim();
    for (String flag : flags) {
      for (String one : flag.trim().split("\\s+")) {
        left = left.replace(" " + one, "");
      }
    }
    return left.trim();
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
