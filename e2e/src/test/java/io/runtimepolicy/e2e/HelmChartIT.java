package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart as helm and a real API server see it: lint, render with several value sets, every
 * rendered object accepted by the API server, and typos rejected by the values schema.
 */
@WithRealApiServer
class HelmChartIT {

  static KubernetesClient client;

  private static final String RELEASE = "runtime-policy";
  private static final String NAMESPACE = "runtime-policy";
  private static final List<String> ALWAYS =
      List.of(
          "CustomResourceDefinition",
          "ServiceAccount",
          "ClusterRole",
          "ClusterRoleBinding",
          "Service",
          "Deployment");

  private static Cli cli;

  /** The release namespace warns on pods that break the "restricted" Pod Security Standard. */
  @BeforeAll
  static void createReleaseNamespace() {
    cli = Cli.against(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/warn", "restricted")
                .endMetadata()
                .build())
        .serverSideApply();
  }

  static Stream<Arguments> valueSets() {
    return Stream.of(
        Arguments.of("default", List.of("Secret", "MutatingWebhookConfiguration")),
        Arguments.of(
            "non-default.yaml",
            List.of(
                "Role",
                "RoleBinding",
                "Issuer",
                "Issuer",
                "Certificate",
                "Certificate",
                "MutatingWebhookConfiguration",
                "CustomResourceDefinition")),
        Arguments.of("cluster-issuer.yaml", List.of("Certificate", "MutatingWebhookConfiguration")),
        Arguments.of("webhook-disabled.yaml", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void lintStrictPasses(String values, List<String> ignored) {
    Cli.Result lint = cli.helm(withValues(values, "lint", "--strict", chart()));

    assertThat(lint.ok()).as("%s", lint).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyRenderedObjectIsAcceptedByTheApiServer(String values, List<String> extraKinds) {
    if (extraKinds.contains("Certificate")) {
      installCertManagerStandInCrds();
    }
    Cli.Result rendered =
        cli.helm(
            withValues(values, "template", RELEASE, chart(), "-n", NAMESPACE, "--include-crds"));
    assertThat(rendered.ok()).as("%s", rendered).isTrue();
    List<String> kinds = kinds(rendered.stdout());
    List<String> expected = new ArrayList<>(ALWAYS);
    expected.addAll(extraKinds);
    assertThat(kinds).containsExactlyInAnyOrderElementsOf(expected);

    Cli.Result applied =
        cli.kubectlWithInput(rendered.stdout(), "apply", "--dry-run=server", "-f", "-");

    assertThat(applied.ok()).as("%s", applied).isTrue();
    assertThat(applied.stdout().lines())
        .hasSize(kinds.size())
        .allMatch(l -> l.endsWith("(server dry run)"));
    assertThat(applied.stderr())
        .as("Pod Security Standard 'restricted'")
        .doesNotContain("PodSecurity");
  }

  @ParameterizedTest(name = "--set {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "webhok.url=x                 | at '': additional properties 'webhok' not allowed",
        "defaultPolicy.mode=Sometimes | at '/defaultPolicy/mode': value must be one of 'Audit',"
            + " 'Enforce', 'Inject'",
        "defaultPolicy.java.rounding=Up | at '/defaultPolicy/java/rounding': value must be one of"
            + " 'Ceil', 'Floor'",
        "defaultPolicy.cpuSource=Limit | at '/defaultPolicy': additional properties 'cpuSource' not"
            + " allowed",
        "webhook.timeoutSeconds=10    | at '/webhook/timeoutSeconds': maximum: got 10, want 5",
        "defaultPolicy.java.minProcessors=1025 | at '/defaultPolicy/java/minProcessors': maximum:"
            + " got 1,025, want 1,024",
        "defaultPolicy.go.maxProcessors=1025 | at '/defaultPolicy/go/maxProcessors': maximum: got"
            + " 1,025, want 1,024",
        "defaultPolicy.java.maxRAMPercentage=0 | at '/defaultPolicy/java/maxRAMPercentage':"
            + " exclusiveMinimum: got 0, want 0",
        "image.tagg=latest            | at '/image': additional properties 'tagg' not allowed",
        "defaultPolicy.probes.appReadTimeout=5 | at '/defaultPolicy/probes/appReadTimeout'",
        "webhook.url=http://example.invalid/x | at '/webhook/url'",
        "resources.limits=null        | at '/resources'",
        "replicaCount=2               | replicaCount above 1 needs leaderElection.enabled=true"
      })
  void aValuesMistakeFailsHelmInstallWithAClearMessage(String set, String message) {
    Cli.Result install = cli.helm("install", "typo", chart(), "-n", NAMESPACE, "--set", set);

    assertThat(install.ok()).as("%s", install).isFalse();
    assertThat(install.stderr()).contains(message);
    assertThat(cli.helm("list", "-n", NAMESPACE, "-q").stdout()).doesNotContain("typo");
  }

  @Test
  void releaseNameThatPrefixesTheChartNameGivesShortResourceNames() {
    Cli.Result rendered = cli.helm("template", RELEASE, chart(), "-n", NAMESPACE);

    assertThat(Manifests.parse(rendered.stdout()))
        .extracting(o -> o.getMetadata().getName())
        .contains("runtime-policy-operator", "runtime-policy-operator-webhook-tls");
  }

  private static void installCertManagerStandInCrds() {
    String crds = ProjectFiles.testResource("cert-manager-standin-crds.yaml").toString();
    Cli.Result applied = cli.kubectl("apply", "--server-side", "-f", crds);
    assertThat(applied.ok()).as("%s", applied).isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        cli.kubectl(
                                "wait", "--for=condition=Established", "--timeout=5s", "-f", crds)
                            .ok())
                    .isTrue());
  }

  static String[] withValues(String values, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!"default".equals(values)) {
      all.add("-f");
      all.add(ProjectFiles.testResource("chart-values/" + values).toString());
    }
    return all.toArray(String[]::new);
  }

  private static String chart() {
    return ProjectFiles.chart().toString();
  }

  private static List<String> kinds(String manifests) {
    return Manifests.parse(manifests).stream().map(HasMetadata::getKind).toList();
  }
}
