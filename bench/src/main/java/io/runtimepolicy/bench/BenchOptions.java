package io.runtimepolicy.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's parameters: {@code --name=value} flags, else {@code BENCH_NAME} environment
 * variables, else the defaults of docs/performance.md.
 */
record BenchOptions(
    List<Integer> sizes,
    int ungoverned,
    int threads,
    Duration resync,
    List<Integer> webhookRates,
    Duration webhookDuration,
    Duration webhookWarmup,
    int webhookCreates,
    int admissionN,
    int injectCreates,
    int injectN,
    List<Integer> injectRates,
    int startupRounds,
    int changes,
    int kindUngoverned,
    int kindGoverned,
    int scaleNamespaces,
    int scaleUngoverned,
    int scaleGoverned,
    Set<String> phases,
    String operatorJavaOptions,
    String cluster,
    Path out) {

  static final List<String> PHASES =
      List.of(
          "convergence",
          "steady-state",
          "webhook",
          "admission",
          "startup-memory",
          "kind-memory",
          "runtime",
          "inject",
          "scale",
          "classlist");

  /**
   * The phases of a run without {@code --phases}: every one but {@code scale}, which creates
   * 110,000 workloads and takes longer than all the others together, and {@code classlist}, which
   * measures nothing and rewrites a committed file.
   */
  static final List<String> DEFAULT_PHASES =
      PHASES.stream().filter(p -> !p.equals("scale") && !p.equals("classlist")).toList();

  static final List<String> CLUSTERS = List.of("bare", "full");

  static BenchOptions parse(String[] args, Map<String, String> env, Path root) {
    Map<String, String> flags = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      flags.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    Reader r = new Reader(flags, env);
    BenchOptions options =
        new BenchOptions(
            r.ints("n", "100,1000"),
            r.integer("m", "5000"),
            r.integer("threads", "4"),
            r.duration("resync", "20s"),
            r.ints("rates", "50,200"),
            r.duration("rate-duration", "30s"),
            r.duration("warmup", "5s"),
            r.integer("creates", "300"),
            r.integer("admission-n", "1000"),
            r.integer("inject-creates", "300"),
            r.integer("inject-n", "1000"),
            r.ints("inject-rates", "50,200"),
            r.integer("startup-rounds", "3"),
            r.integer("changes", "5"),
            r.integer("kind-m", "2000"),
            r.integer("kind-n", "500"),
            r.integer("scale-namespaces", "1000"),
            r.integer("scale-ungoverned", "100000"),
            r.integer("scale-governed", "10000"),
            new LinkedHashSet<>(
                List.of(r.get("phases", String.join(",", DEFAULT_PHASES)).split(","))),
            r.get("operator-java-options", ChartJvmOptions.read(root)),
            r.get("cluster", "bare"),
            root.resolve(r.get("out", "bench/target/bench.json")));
    flags.keySet().removeAll(r.known);
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown flags: " + flags.keySet() + "; known: " + r.known);
    }
    if (!PHASES.containsAll(options.phases())) {
      throw new IllegalArgumentException("--phases takes some of " + PHASES);
    }
    if (options.runs("scale")
        && (options.scaleNamespaces() < 1
            || options.scaleGoverned() < 5 * options.scaleNamespaces()
            || options.scaleUngoverned() < 0)) {
      // Fewer than 5 governed in a namespace may leave it without a Deployment to change.
      throw new IllegalArgumentException(
          "--scale-governed must be at least 5 per namespace (--scale-namespaces)");
    }
    if (options.runs("scale") && options.fullCluster()) {
      throw new IllegalArgumentException("the scale phase runs on the bare API server only");
    }
    if (!CLUSTERS.contains(options.cluster())) {
      throw new IllegalArgumentException("--cluster takes one of " + CLUSTERS);
    }
    // FullCluster's 3 fake nodes have 32 CPUs each: 192 pods of the workloads' 500m request. The
    // reconciler's and the admitted namespaces hold 2 pods per Deployment, plus surge pods.
    if (options.fullCluster() && 4 * options.largest() > 160) {
      throw new IllegalArgumentException(
          "--cluster=full runs at most --n=40: the fake nodes schedule 192 pods of 500m");
    }
    return options;
  }

  /** {@code --cluster=full}: controllers, scheduler and fake nodes beside the API server. */
  boolean fullCluster() {
    return cluster.equals("full");
  }

  /** The largest N: the one for steady state, one change, startup and memory. */
  int largest() {
    return sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  boolean runs(String phase) {
    return phases.contains(phase);
  }

  private static final class Reader {
    private final Map<String, String> flags;
    private final Map<String, String> env;
    private final Set<String> known = new LinkedHashSet<>();

    Reader(Map<String, String> flags, Map<String, String> env) {
      this.flags = flags;
      this.env = env;
    }

    String get(String name, String fallback) {
      known.add(name);
      String envName = "BENCH_" + name.toUpperCase().replace('-', '_');
      return flags.getOrDefault(name, env.getOrDefault(envName, fallback));
    }

    int integer(String name, String fallback) {
      return Integer.parseInt(get(name, fallback).trim());
    }

    List<Integer> ints(String name, String fallback) {
      return Arrays.stream(get(name, fallback).split(","))
          .map(String::trim)
          .map(Integer::valueOf)
          .toList();
    }

    Duration duration(String name, String fallback) {
      String value = get(name, fallback).trim();
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      long amount = Long.parseLong(value.substring(0, value.length() - 1));
      return switch (value.charAt(value.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        default ->
            throw new IllegalArgumentException(name + ": use 500ms, 30s or 2m, got " + value);
      };
    }
  }
}
