package io.runtimepolicy.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The chart's own MutatingWebhookConfiguration, rendered by the pinned helm with {@code
 * webhook.url} pointing at a webhook server on the loopback address: tests, {@code make run-local}
 * and the benchmarks register exactly what {@code helm install} registers, with no second
 * definition to drift from it.
 */
public final class WebhookRegistrations {

  /** The path the operator's webhook server answers on. */
  public static final String PATH = "/mutate-workloads";

  private static final String TEMPLATE = "templates/webhook.yaml";

  private WebhookRegistrations() {}

  /**
   * The registration of {@code https://127.0.0.1:<port>/mutate-workloads}, for an operator in
   * {@code operatorNamespace}; {@code extraValues} are more {@code --set} values, e.g. {@code
   * "webhook.timeoutSeconds=1"}.
   */
  public static MutatingWebhookConfiguration loopback(
      int port, String caPem, String operatorNamespace, String... extraValues) {
    String caBundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    List<String> args =
        new ArrayList<>(
            List.of(
                "template",
                "runtime-policy",
                chart().toString(),
                "-n",
                operatorNamespace,
                "--show-only",
                TEMPLATE,
                "--set",
                "webhook.url=https://127.0.0.1:" + port + PATH,
                "--set",
                "webhook.caBundle=" + caBundle));
    for (String value : extraValues) {
      args.add("--set");
      args.add(value);
    }
    Cli.Result rendered = Cli.withoutCluster().helm(args.toArray(String[]::new)).assertSuccess();
    for (String document : rendered.stdout().split("(?m)^---\\s*$")) {
      if (document.contains("kind: MutatingWebhookConfiguration")) {
        return Serialization.unmarshal(document, MutatingWebhookConfiguration.class);
      }
    }
    throw new IllegalStateException("the chart rendered no MutatingWebhookConfiguration");
  }

  /**
   * Registers {@link #loopback} (server-side apply, so a second call replaces the first) and waits
   * until the API server sends admission to it: a dry-run create of a governed Deployment in {@code
   * probeNamespace} (created if missing) comes back carrying the operator's record annotation. The
   * operator's webhook must be serving on {@code port} and govern that namespace with the default
   * policy settings.
   */
  public static MutatingWebhookConfiguration registerAndAwait(
      KubernetesClient client,
      int port,
      String caPem,
      String operatorNamespace,
      String probeNamespace,
      String... extraValues) {
    MutatingWebhookConfiguration registration =
        loopback(port, caPem, operatorNamespace, extraValues);
    client.resource(registration).forceConflicts().serverSideApply();
    if (client.namespaces().withName(probeNamespace).get() == null) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(probeNamespace)
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
    // The API server picks up a new webhook configuration asynchronously. A plain deadline poll:
    // make run-local calls this from its main class path, which has no Awaitility.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!admittedByTheOperator(client, probeNamespace)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the webhook on port " + port + " never answered");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return registration;
  }

  private static boolean admittedByTheOperator(KubernetesClient client, String namespace) {
    var admitted = client.resource(probe(namespace)).dryRun().create().getMetadata();
    return admitted.getAnnotations() != null && admitted.getAnnotations().containsKey(MANAGED_ENV);
  }

  private static final String MANAGED_ENV = "runtimepolicy.io/managed-env";

  private static Deployment probe(String namespace) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("probe")
        .withNamespace(namespace)
        .withAnnotations(Map.of("runtimepolicy.io/java-tuning", "enabled"))
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "probe")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "probe")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/probe:1")
        .withNewResources()
        .addToLimits("cpu", new Quantity("1"))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** helm/runtime-policy-operator, from {@code project.root} or the working directory upwards. */
  public static Path chart() {
    String root = System.getProperty("project.root");
    Path dir = root == null ? Path.of("").toAbsolutePath() : Path.of(root).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path chart = d.resolve("helm/runtime-policy-operator");
      if (Files.exists(chart.resolve("Chart.yaml"))) {
        return chart;
      }
    }
    throw new IllegalStateException("no helm/runtime-policy-operator above " + dir);
  }
}
