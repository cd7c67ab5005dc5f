package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.config.OperatorConfig;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.RuntimeProfile;
import io.runtimepolicy.operator.policy.RuntimeProfiles;
import io.runtimepolicy.operator.reconciler.Governance;
import io.runtimepolicy.operator.reconciler.PolicyCache;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.WebhookRegistrations;
import io.runtimepolicy.testing.WithRealApiServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook on a real API server, driven by the real kubectl: warnings reach the user, writes are
 * never blocked, excluded namespaces never reach the server.
 */
@WithRealApiServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionWebhookIT {
  private static final Logger log = LoggerFactory.getLogger(AdmissionWebhookIT.class);

  /** A runtime the default policy declares, so its opt-in is one of the policy's runtimes. */
  private static final String DEFAULT_POLICY =
      "custom: [{name: tokio, env: [{name: TOKIO_WORKER_THREADS, value: Processors}]}]";

  /** The operator's engine, with no policy in its cache yet: the configured defaults apply. */
  private static final WorkloadReviewer POLICY =
      new WorkloadAdmission(
          new Governance(
              PolicyCache.withoutPolicies(),
              OperatorConfig.fromEnv(Map.of("RUNTIMEPOLICY_DEFAULT_POLICY", DEFAULT_POLICY))
                  .defaultPolicy(),
              ns -> true));

  private static final String NAMESPACE = "team-a";
  private static final String OPERATOR_NAMESPACE = "runtime-policy";
  private static int timeoutSeconds;

  static KubernetesClient client;
  @KubeConfigYaml static String kubeConfigYaml;
  @TempDir static Path workDir;

  /** Every Deployment the server was asked about, as namespace/name. */
  private static final Queue<String> reviewed = new ConcurrentLinkedQueue<>();

  private static AdmissionServer server;
  private static Cli kubectl;

  @BeforeAll
  static void registerWebhook() throws IOException {
    var pem =
        TestCertificates.selfSigned("localhost", TestCertificates.KeyFormat.RSA_PKCS1)
            .writeTo(workDir.resolve("tls"));
    var config =
        WebhookServerConfig.defaults(
            0, workDir.resolve("tls/tls.crt"), workDir.resolve("tls/tls.key"));
    server =
        new AdmissionServer(
                config,
                subject -> {
                  reviewed.add(
                      subject.namespace() + "/" + subject.workload().getMetadata().getName());
                  return POLICY.review(subject);
                })
            .start();
    kubectl = Cli.against(kubeConfigYaml);
    for (String name : List.of(NAMESPACE, OPERATOR_NAMESPACE)) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
    timeoutSeconds =
        WebhookRegistrations.registerAndAwait(
                client, server.port(), pem.cert(), OPERATOR_NAMESPACE, NAMESPACE)
            .getWebhooks()
            .get(0)
            .getTimeoutSeconds();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  @Order(1)
  void violatingDeploymentIsCreatedWithAWarning() throws Exception {
    var result = apply(Manifests.write(workDir, "slow-probe", NAMESPACE, 10, true));

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr())
        .contains(
            "Warning: runtimepolicy: container app: liveness probe timeoutSeconds 10 is not below"
                + " the app read timeout 5s");
    assertThat(result.stdout()).contains("deployment.apps/slow-probe created");
    log.info("kubectl said: {}", result.stderr().strip());
    assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("slow-probe").get())
        .isNotNull();
  }

  @Test
  @Order(2)
  void compliantAndUnannotatedDeploymentsGetNoWarning() throws Exception {
    var compliant = apply(Manifests.write(workDir, "fast-probe", NAMESPACE, 2, true));
    var unannotated = apply(Manifests.write(workDir, "not-governed", NAMESPACE, 10, false));

    for (var result : List.of(compliant, unannotated)) {
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.stderr()).doesNotContain("Warning");
    }
    // Silence because the server said nothing, not because it was not asked; the unannotated one
    // the API server filtered out itself (matchConditions), so it cost no webhook call at all.
    assertThat(reviewed).contains(NAMESPACE + "/fast-probe");
    assertThat(reviewed).doesNotContain(NAMESPACE + "/not-governed");
  }

  /**
   * The chart's match conditions follow the engine's list of runtimes: each runtime's opt-in alone
   * reaches the webhook and comes back tuned. A runtime the chart's CEL missed would be created
   * untuned, with no webhook call.
   */
  @Test
  @Order(2)
  void everyRuntimesOptInReachesTheWebhookThroughTheChartsConditions() {
    List<RuntimeProfile> profiles =
        PolicySettings.from(
                OperatorConfig.fromEnv(Map.of("RUNTIMEPOLICY_DEFAULT_POLICY", DEFAULT_POLICY))
                    .defaultPolicy())
            .profiles();
    assertThat(profiles).hasSize(RuntimeProfiles.ALL.size() + 1);
    for (RuntimeProfile profile : profiles) {
      String name = "opt-in-" + profile.name();
      Deployment created =
          client
              .apps()
              .deployments()
              .inNamespace(NAMESPACE)
              .resource(
                  TestDeployments.deployment(name)
                      .annotation(profile.tuningAnnotation(), "enabled")
                      .cpuLimit("2")
                      .memoryLimit("1Gi")
                      .build())
              .dryRun()
              .create();

      assertThat(reviewed).as(profile.name()).contains(NAMESPACE + "/" + name);
      assertThat(created.getMetadata().getAnnotations())
          .as(profile.name())
          .containsKey(Annotations.MANAGED_ENV);
    }
  }

  /** An opt-in the policy has no runtime for is admitted untouched, and kubectl says why. */
  @Test
  @Order(2)
  void anUndeclaredRuntimesOptInIsAdmittedWithAWarning() throws Exception {
    Path manifest = workDir.resolve("undeclared.yaml");
    Files.writeString(
        manifest,
        Serialization.asYaml(
            TestDeployments.deployment("undeclared")
                .annotation("runtimepolicy.io/rayon-tuning", "enabled")
                .cpuLimit("2")
                .build()
                .edit()
                .editMetadata()
                .withNamespace(NAMESPACE)
                .endMetadata()
                .build()));

    var result = apply(manifest);

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr())
        .contains(
            "Warning: runtimepolicy: rayon-tuning is enabled, but the policy has no runtime rayon:"
                + " declare it in spec.custom");
    Deployment stored =
        client.apps().deployments().inNamespace(NAMESPACE).withName("undeclared").get();
    assertThat(stored.getMetadata().getAnnotations()).doesNotContainKey(Annotations.MANAGED_ENV);
    assertThat(stored.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .isNullOrEmpty();
  }

  @Test
  @Order(3)
  void excludedNamespacesNeverReachTheServer() throws Exception {
    for (String namespace : List.of(OPERATOR_NAMESPACE, "kube-system")) {
      var result = apply(Manifests.write(workDir, "excluded", namespace, 10, true));

      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.stderr()).doesNotContain("Warning");
    }
    var control = apply(Manifests.write(workDir, "control", NAMESPACE, 10, true));

    assertThat(control.stderr()).contains("Warning: runtimepolicy:");
    assertThat(reviewed)
        .contains(NAMESPACE + "/control")
        .noneMatch(
            entry ->
                entry.startsWith(OPERATOR_NAMESPACE + "/") || entry.startsWith("kube-system/"));
  }

  @Test
  @Order(4)
  void withTheServerSilentOrStoppedWritesStillSucceedWithinTheTimeout() throws Exception {
    int port = server.port();
    server.stop(Duration.ofSeconds(1));

    // Accepts connections and never answers: the API server waits out timeoutSeconds, then ignores.
    try (var silent = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      var result = apply(Manifests.write(workDir, "while-silent", NAMESPACE, 10, true));
      assertAdmittedWithoutWarning(result, "while-silent");
    }
    var refused = apply(Manifests.write(workDir, "while-stopped", NAMESPACE, 10, true));
    assertAdmittedWithoutWarning(refused, "while-stopped");
  }

  private static void assertAdmittedWithoutWarning(Cli.Result result, String name) {
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).doesNotContain("Warning");
    assertThat(result.took()).isLessThan(Duration.ofSeconds(timeoutSeconds + 5));
    assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(name).get()).isNotNull();
    log.info("kubectl apply of {} took {} ms", name, result.took().toMillis());
  }

  /** Deployments as a user writes them. */
  static final class Manifests {
    private Manifests() {}

    static Path write(
        Path dir, String name, String namespace, int livenessTimeout, boolean annotated)
        throws IOException {
      String annotation =
          annotated ? "\n  annotations:\n    runtimepolicy.io/java-tuning: \"enabled\"" : "";
      String yaml =
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: %s
            namespace: %s%s
          spec:
            replicas: 1
            selector:
              matchLabels: {app: %s}
            template:
              metadata:
                labels: {app: %s}
              spec:
                containers:
                - name: app
                  image: registry.example/app:1
                  resources:
                    limits: {cpu: 500m, memory: 256Mi}
                  livenessProbe:
                    httpGet: {path: /health, port: 8080}
                    timeoutSeconds: %d
          """
              .formatted(name, namespace, annotation, name, name, livenessTimeout);
      return Files.writeString(dir.resolve(namespace + "-" + name + ".yaml"), yaml);
    }
  }

  private static Cli.Result apply(Path manifest) {
    return kubectl.kubectl("apply", "-f", manifest.toString());
  }
}
