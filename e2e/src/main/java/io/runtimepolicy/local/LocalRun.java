package io.runtimepolicy.local;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.FullCluster;
import io.runtimepolicy.testing.SelfSignedCertificate;
import io.runtimepolicy.testing.WebhookRegistrations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code make run-local}: the pinned control plane, the CRD, the operator as its own process with
 * its webhook registered by loopback URL, and the examples applied; then it waits for Ctrl-C and
 * stops everything it started. With KUBECONFIG set it only runs the operator against that cluster.
 */
public final class LocalRun {

  private static final String OPERATOR_NAMESPACE = "runtime-policy";

  private LocalRun() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      runAgainstCluster(root);
      return;
    }
    Instant started = Instant.now();
    Path tmp = Files.createTempDirectory("runtime-policy-local");
    FullCluster server = new FullCluster(tmp.resolve("cluster"));
    Stopper stopper = new Stopper(tmp, server);
    Runtime.getRuntime().addShutdownHook(new Thread(stopper::stop, "local-run-stop"));
    server.start();
    Path kubeconfigFile = Files.writeString(tmp.resolve("kubeconfig"), server.getKubeConfigYaml());
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build()) {
      installCrd(client, root);
      SelfSignedCertificate cert = SelfSignedCertificate.create(tmp.resolve("tls"));
      int webhookPort = OperatorProcess.freePort();
      stopper.operator =
          OperatorProcess.start(
              root,
              Map.of(
                  "KUBECONFIG", kubeconfigFile.toString(),
                  "RUNTIMEPOLICY_OPERATOR_NAMESPACE", OPERATOR_NAMESPACE,
                  "RUNTIMEPOLICY_WEBHOOK_PORT", Integer.toString(webhookPort),
                  "RUNTIMEPOLICY_WEBHOOK_CERT_FILE", cert.certFile().toString(),
                  "RUNTIMEPOLICY_WEBHOOK_KEY_FILE", cert.keyFile().toString(),
                  "RUNTIMEPOLICY_INJECT_ENABLED", "true"),
              tmp.resolve("operator.log"),
              Duration.ofSeconds(60));
      // The chart's own registration; the examples go in only once admission answers, so each is
      // tuned in its own create and rolls out once.
      WebhookRegistrations.registerAndAwait(
          client, webhookPort, cert.caPem(), OPERATOR_NAMESPACE, "default", "inject.enabled=true");
      Cli kubectl = Cli.against(server.getKubeConfigYaml());
      Cli.Result applied = kubectl.kubectl("apply", "-f", root.resolve("examples").toString());
      System.out.print(applied.stdout());
      System.out.print(applied.stderr());
      awaitStatuses(client, Duration.ofSeconds(60));
      System.out.println();
      System.out.print(kubectl.kubectl("get", "runtimepolicies", "-A").stdout());
      System.out.printf(
          "%nReady in %ds. Point kubectl at it:%n  export KUBECONFIG=%s%n",
          Duration.between(started, Instant.now()).toSeconds(), kubeconfigFile);
      System.out.printf(
          "Operator log: %s (pid %d). Ctrl-C stops everything.%n",
          tmp.resolve("operator.log"), stopper.operator.pid());
      System.out.printf("Control plane logs: %s%n", server.workDir());
    }
    new CountDownLatch(1).await();
  }

  private static void runAgainstCluster(Path root) throws Exception {
    System.out.println(
        "KUBECONFIG is set: running the operator against that cluster, starting nothing local.");
    ProcessBuilder builder =
        new ProcessBuilder(
                OperatorProcess.java(root).toString(),
                "-jar",
                root.resolve("operator/target/runtime-policy-operator.jar").toString())
            .inheritIO();
    Process process = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    System.exit(process.waitFor());
  }

  private static void installCrd(KubernetesClient client, Path root) throws IOException {
    try (InputStream in =
        Files.newInputStream(
            root.resolve(
                "helm/runtime-policy-operator/crds/runtimepolicies.runtimepolicy.io-v1.yml"))) {
      client
          .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
          .serverSideApply();
    }
    waitFor(
        Duration.ofSeconds(30),
        () -> {
          try {
            client.resources(RuntimePolicy.class).inAnyNamespace().list();
            return true;
          } catch (RuntimeException e) {
            return false;
          }
        });
  }

  /**
   * Until every policy in the examples has a status that counts its workloads (each has at least
   * one; an Inject policy's count comes with its pods), so the printed table has figures.
   */
  private static void awaitStatuses(KubernetesClient client, Duration within) {
    waitFor(
        within,
        () -> {
          var policies = client.resources(RuntimePolicy.class).inAnyNamespace().list().getItems();
          return !policies.isEmpty()
              && policies.stream()
                  .allMatch(
                      p ->
                          p.getStatus() != null
                              && p.getStatus().getTargets() != null
                              && p.getStatus().getTargets() > 0);
        });
  }

  private static void waitFor(Duration within, java.util.function.BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(within);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("not reached within " + within);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops what was started, newest first, and removes the temporary files. */
  private static final class Stopper {
    private final Path tmp;
    private final FullCluster server;
    private volatile OperatorProcess operator;

    Stopper(Path tmp, FullCluster server) {
      this.tmp = tmp;
      this.server = server;
    }

    void stop() {
      try {
        if (operator != null) {
          operator.close();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.stop();
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not remove " + tmp + ": " + e.getMessage());
      }
      System.out.println("Stopped the operator and the control plane; removed " + tmp);
    }
  }
}
