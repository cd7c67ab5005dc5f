package io.runtimepolicy.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cluster that runs workloads, all on loopback: kube-api-test's API server and etcd, the
 * controller manager (the workload, garbage-collection, namespace and service-account controllers),
 * the scheduler, and kwok simulating {@value #NODES} Nodes whose pods become Running and Ready with
 * 127.x addresses. Each process writes to its own log in the work directory; {@link #stop()} ends
 * every process it started and waits for it. One instance starts once.
 */
public final class FullCluster implements AutoCloseable {

  public static final int NODES = 3;

  private static final Duration NODES_READY_WITHIN = Duration.ofSeconds(60);

  private final Path workDir;
  private final List<String> apiServerFlags;
  private final List<ClusterProcess> processes = new CopyOnWriteArrayList<>();
  private final Thread stopOnExit = new Thread(this::stop, "full-cluster-stop");
  private final Object stopLock = new Object();
  private volatile boolean stopped;
  private volatile KubeAPIServer apiServer;
  private volatile String kubeConfigYaml;
  private volatile Duration apiServerStartupTime;
  private volatile Duration startupTime;

  /** {@code workDir} receives the kubeconfig, the scheduler's configuration and every log. */
  public FullCluster(Path workDir) {
    this(workDir, List.of());
  }

  public FullCluster(Path workDir, List<String> extraApiServerFlags) {
    this.workDir = workDir.toAbsolutePath();
    this.apiServerFlags = new ArrayList<>(extraApiServerFlags);
    this.apiServerFlags.addAll(FullClusterFlags.API_SERVER);
  }

  /**
   * Starts everything and returns once the fake nodes are Ready; on failure stops what it began.
   * {@link #stop()} may be called from another thread meanwhile (Ctrl-C): start then fails.
   */
  public void start() {
    Instant started = Instant.now();
    // A JVM ended by Ctrl-C or a fork timeout still stops every process it started.
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      Files.createDirectories(workDir);
      KubeAPIServer server = new KubeAPIServer(ControlPlane.apiServerConfig(apiServerFlags));
      apiServer = server;
      server.start();
      kubeConfigYaml = server.getKubeConfigYaml();
      apiServerStartupTime = Duration.between(started, Instant.now());
      Path kubeconfig = Files.writeString(workDir.resolve("kubeconfig"), kubeConfigYaml);
      launch(
          "kube-controller-manager",
          ControlPlane.controllerManager(),
          FullClusterFlags.controllerManager(kubeconfig));
      launch(
          "kube-scheduler",
          ControlPlane.scheduler(),
          FullClusterFlags.scheduler(kubeconfig, workDir));
      launch("kwok", ControlPlane.kwok(), FullClusterFlags.kwok(kubeconfig, workDir));
      try (KubernetesClient client =
          new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml)).build()) {
        FakeNodes.create(client, NODES);
        FakeNodes.awaitReady(client, NODES, NODES_READY_WITHIN, this::assertProcessesAlive);
      }
      startupTime = Duration.between(started, Instant.now());
    } catch (IOException e) {
      throw stopAfter(new UncheckedIOException(e));
    } catch (RuntimeException e) {
      throw stopAfter(e);
    } catch (Error e) {
      // A class missing from make run-local's class path, say, must not leave orphans either.
      throw stopAfter(e);
    }
  }

  private void launch(String name, Path binary, List<String> flags) {
    if (stopped) {
      throw new IllegalStateException("stopped while starting");
    }
    ClusterProcess process = ClusterProcess.start(name, binary, flags, workDir);
    processes.add(process);
    if (stopped) {
      process.stop();
      throw new IllegalStateException("stopped while starting");
    }
  }

  private <T extends Throwable> T stopAfter(T failure) {
    try {
      stop();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /** Stops the simulated nodes, the scheduler, the controller manager, then the API server. */
  public void stop() {
    synchronized (stopLock) {
      stopped = true;
      for (int i = processes.size() - 1; i >= 0; i--) {
        processes.get(i).stop();
      }
      processes.clear();
      KubeAPIServer server = apiServer;
      apiServer = null;
      if (server != null) {
        server.stop();
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // Already shutting down (this may be the hook itself), or never started.
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** The admin kubeconfig (kube-api-test's client certificate), as for the bare API server. */
  public String getKubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** From {@link #start()} to every fake node Ready. */
  public Duration startupTime() {
    return startupTime;
  }

  /** From {@link #start()} to the API server ready: what the bare API server alone costs. */
  public Duration apiServerStartupTime() {
    return apiServerStartupTime;
  }

  public Path workDir() {
    return workDir;
  }

  private void assertProcessesAlive() {
    processes.forEach(ClusterProcess::assertAlive);
  }
}
