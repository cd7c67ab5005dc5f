package io.runtimepolicy.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.local.OperatorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Writes the class list that hack/jlink.sh archives the operator's classes from (AppCDS): the
 * classes one operator process loads through a start, a reconcile that tunes existing workloads of
 * every kind, admissions through its webhook, and a stop. Run by {@code make bench
 * BENCH_ARGS=--phases=classlist}; the list is committed, so the image build needs no API server.
 * Classes loaded later than this (a fault's path) are loaded as without the archive.
 */
final class ClassListTraining {

  static final String NAMESPACE = "bench-classlist";
  static final Path LIST = Path.of("operator/src/main/cds/operator.classlist");

  private ClassListTraining() {}

  static Path run(BenchCluster cluster, OperatorLauncher launcher, BenchOptions options) {
    KubernetesClient client = cluster.client();
    cluster.createNamespace(NAMESPACE);
    client.resource(ConvergenceBench.policy(NAMESPACE)).serverSideApply();
    // Older than the operator: its reconciler tunes them (the identity apply and its admission).
    for (String kind : KindMemoryBench.KINDS) {
      String name = kind.toLowerCase() + "-existing";
      client
          .resource(
              Workloads.as(
                  kind, Workloads.governed(NAMESPACE, name, ConvergenceBench.POLICY, true)))
          .create();
      client
          .resource(Workloads.as(kind, Workloads.ungoverned(NAMESPACE, kind.toLowerCase(), true)))
          .create();
    }
    Path root = cluster.root();
    Path raw = root.resolve("bench/target/operator.classlist.raw");
    var running =
        launcher.startOn(
            "classlist",
            List.of(NAMESPACE),
            OperatorProcess.java(root),
            options.operatorJavaOptions() + " -Xshare:off -XX:DumpLoadedClassList=" + raw,
            Map.of());
    try {
      launcher.register(running);
      for (int i = 0; i < 3; i++) {
        client
            .resource(Workloads.governed(NAMESPACE, "admitted-" + i, ConvergenceBench.POLICY, true))
            .create();
      }
      Poll.until(
          "the policy to count every governed workload",
          Duration.ofMinutes(2),
          Duration.ofMillis(200),
          () -> {
            RuntimePolicy p =
                client
                    .resources(RuntimePolicy.class)
                    .inNamespace(NAMESPACE)
                    .withName(ConvergenceBench.POLICY)
                    .get();
            return p.getStatus() != null
                && p.getStatus().getTargets() != null
                && p.getStatus().getTargets() >= KindMemoryBench.KINDS.size() + 3;
          });
    } finally {
      launcher.stop(running);
    }
    return write(raw, root.resolve(LIST));
  }

  /**
   * The JVM's list less the proxy classes it generated at run time, which a dump cannot find (and
   * warns about).
   */
  private static Path write(Path raw, Path list) {
    try {
      List<String> lines =
          Files.readAllLines(raw).stream().filter(line -> !line.contains("$Proxy")).toList();
      Files.createDirectories(list.getParent());
      Files.write(list, lines);
      System.out.printf("bench: classlist: %d classes listed in %s%n", lines.size(), list);
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
