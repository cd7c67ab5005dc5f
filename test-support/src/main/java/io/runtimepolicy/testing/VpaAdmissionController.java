package io.runtimepolicy.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Vertical Pod Autoscaler's real admission controller (hack/control-plane.sh builds it from the
 * pinned module) run against a test API server: its CRDs installed, its webhook served on 127.0.0.1
 * and registered by that URL, as upstream's own self-registration would register it (same name,
 * rules and namespace exclusion), but at once rather than after its fixed delay. No recommender
 * runs: a test writes the VerticalPodAutoscaler's status recommendation itself.
 */
public final class VpaAdmissionController implements AutoCloseable {

  /** Upstream's names (pkg/admission-controller/config.go), so nothing else need know two. */
  public static final String WEBHOOK_CONFIGURATION = "vpa-webhook-config";

  private static final String WEBHOOK = "vpa.k8s.io";
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final ClusterProcess process;

  private VpaAdmissionController(KubernetesClient client, ClusterProcess process) {
    this.client = client;
    this.process = process;
  }

  /**
   * A VerticalPodAutoscaler for Deployment {@code deployment} in {@code updateMode: Initial}: VPA
   * sets resources at admission only, the part the tests are about.
   */
  public static GenericKubernetesResource autoscaler(String deployment) {
    GenericKubernetesResource autoscaler = new GenericKubernetesResource();
    autoscaler.setApiVersion("autoscaling.k8s.io/v1");
    autoscaler.setKind("VerticalPodAutoscaler");
    autoscaler.setMetadata(new ObjectMetaBuilder().withName(deployment).build());
    autoscaler.setAdditionalProperty(
        "spec",
        Map.of(
            "targetRef",
            Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", deployment),
            "updatePolicy",
            Map.of("updateMode", "Initial")));
    return autoscaler;
  }

  /**
   * Writes, as the recommender would, the target of {@code container} into the status of autoscaler
   * {@code name}: e.g. {@code {cpu: 750m, memory: 300Mi}}.
   */
  public static void recommend(
      KubernetesClient client,
      String namespace,
      String name,
      String container,
      Map<String, String> target) {
    client
        .genericKubernetesResources("autoscaling.k8s.io/v1", "VerticalPodAutoscaler")
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            v -> {
              v.setAdditionalProperty(
                  "status",
                  Map.of(
                      "recommendation",
                      Map.of(
                          "containerRecommendations",
                          List.of(Map.of("containerName", container, "target", target)))));
              return v;
            });
  }

  /**
   * A pod of {@code owner}'s template, owned by it, created as a dry run: what admission (VPA's and
   * any other webhook's) would make of its next pod, without admitting one. VPA answers from its
   * own cache of recommendations, so this shows when that cache has caught up.
   */
  public static Pod dryRunPodOf(KubernetesClient client, String namespace, ReplicaSet owner) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withGenerateName("probe-")
            .withLabels(owner.getSpec().getTemplate().getMetadata().getLabels())
            .withAnnotations(owner.getSpec().getTemplate().getMetadata().getAnnotations())
            .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("ReplicaSet")
            .withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid())
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withSpec(owner.getSpec().getTemplate().getSpec())
            .build();
    return client.pods().inNamespace(namespace).resource(pod).dryRun().create();
  }

  /**
   * Installs the CRDs, starts the admission controller with {@code kubeConfigYaml} (an admin one)
   * and registers its webhook; returns once the API server can call it. Its kubeconfig, certificate
   * and log go to {@code workDir}.
   */
  public static VpaAdmissionController start(
      KubernetesClient client, String kubeConfigYaml, Path workDir) {
    installCrds(client);
    try {
      Files.createDirectories(workDir);
      Path kubeconfig = Files.writeString(workDir.resolve("vpa-kubeconfig"), kubeConfigYaml);
      SelfSignedCertificate cert = SelfSignedCertificate.create(workDir.resolve("vpa-tls"));
      Path ca = Files.writeString(workDir.resolve("vpa-tls").resolve("ca.crt"), cert.caPem());
      int port = freeLoopbackPort();
      ClusterProcess process =
          ClusterProcess.start(
              "vpa-admission-controller",
              ControlPlane.vpaAdmissionController(),
              List.of(
                  "--kubeconfig=" + kubeconfig,
                  "--tls-cert-file=" + cert.certFile(),
                  "--tls-private-key=" + cert.keyFile(),
                  "--client-ca-file=" + ca,
                  "--port=" + port,
                  // Metrics and health on an ephemeral loopback port: nothing reads them here.
                  "--address=127.0.0.1:0",
                  "--register-webhook=false",
                  "--v=2"),
              workDir);
      VpaAdmissionController vpa = new VpaAdmissionController(client, process);
      try {
        vpa.awaitServing(port);
        client.resource(registration(port, cert.caPem())).serverSideApply();
      } catch (RuntimeException e) {
        vpa.close();
        throw e;
      }
      return vpa;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void installCrds(KubernetesClient client) {
    try (InputStream in = Files.newInputStream(ControlPlane.vpaCrds())) {
      for (HasMetadata item : client.load(in).items()) {
        client.resource(item).serverSideApply();
        if (item instanceof CustomResourceDefinition) {
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(item.getMetadata().getName())
              .waitUntilCondition(VpaAdmissionController::established, 30, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        // A CRD just created has a status without conditions until the API server names it.
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  // Upstream's self-registration (rules, sideEffects, the kube-system exclusion it applies by
  // default), with failurePolicy Fail: a test beside a VPA that stopped answering must fail, not
  // pass untouched by it.
  static MutatingWebhookConfiguration registration(int port, String caPem) {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(WEBHOOK_CONFIGURATION)
        .endMetadata()
        .addNewWebhook()
        .withName(WEBHOOK)
        .withAdmissionReviewVersions("v1")
        .addNewRule()
        .withOperations("CREATE")
        .withApiGroups("")
        .withApiVersions("v1")
        .withResources("pods")
        .endRule()
        .addNewRule()
        .withOperations("CREATE", "UPDATE")
        .withApiGroups("autoscaling.k8s.io")
        .withApiVersions("*")
        .withResources("verticalpodautoscalers")
        .endRule()
        .withFailurePolicy("Fail")
        .withSideEffects("None")
        .withTimeoutSeconds(10)
        .withNewNamespaceSelector()
        .addNewMatchExpression()
        .withKey("kubernetes.io/metadata.name")
        .withOperator("NotIn")
        .withValues("kube-system")
        .endMatchExpression()
        .endNamespaceSelector()
        .withNewClientConfig()
        .withUrl("https://127.0.0.1:" + port + "/")
        .withCaBundle(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)))
        .endClientConfig()
        .endWebhook()
        .build();
  }

  // It listens only once its informers have synced, so an accepted connection means it can answer.
  // (The probe's bare TCP connection shows in its log as one "TLS handshake error ... EOF".)
  private void awaitServing(int port) {
    Instant deadline = Instant.now().plus(READY_WITHIN);
    while (true) {
      process.assertAlive();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return;
      } catch (IOException e) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              "vpa-admission-controller not serving on 127.0.0.1:"
                  + port
                  + " within "
                  + READY_WITHIN
                  + "; see its log",
              e);
        }
      }
      try {
        Thread.sleep(100); // the poll interval; a plain loop like FakeNodes.awaitReady
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for vpa-admission-controller", e);
      }
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Unregisters the webhook first, so no call reaches a process that is going, then stops it. */
  @Override
  public void close() {
    try {
      client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(WEBHOOK_CONFIGURATION)
          .delete();
    } finally {
      process.stop();
    }
  }
}
