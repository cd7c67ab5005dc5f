package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.runtimepolicy.testing.Cli;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the rendered chart registers the webhook, and the TLS material Helm generates for it. */
class WebhookContractIT {

  private static final String NS = Rendered.NAMESPACE;
  private static Cli cli;

  @BeforeAll
  static void setUp() {
    cli = Cli.withoutCluster();
  }

  @Test
  void webhookTunesEveryKindAndNeverBlocks() {
    MutatingWebhook webhook = Rendered.chart(cli).webhook();

    assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(webhook.getTimeoutSeconds()).isBetween(1, 5);
    assertThat(webhook.getSideEffects()).isEqualTo("None");
    assertThat(webhook.getReinvocationPolicy()).isEqualTo("IfNeeded");
    assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
    assertThat(webhook.getRules())
        .extracting(
            r ->
                r.getApiGroups()
                    + " "
                    + r.getApiVersions()
                    + " "
                    + r.getResources()
                    + " "
                    + r.getOperations())
        .containsExactly(
            "[apps] [v1] [deployments, statefulsets, daemonsets] [CREATE, UPDATE]",
            "[batch] [v1] [cronjobs] [CREATE, UPDATE]",
            "[batch] [v1] [jobs] [CREATE]");
    assertThat(webhook.getNamespaceSelector().getMatchExpressions())
        .extracting(e -> e.getKey() + " " + e.getOperator() + " " + e.getValues())
        .containsExactly("kubernetes.io/metadata.name NotIn [kube-system, " + NS + "]");
    assertThat(webhook.getObjectSelector()).isNull();
    assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/mutate-workloads");
    assertThat(webhook.getClientConfig().getService().getPort()).isEqualTo(443);
    // The operator's own writes must reach it: the reconciler has the webhook set the values.
    assertThat(webhook.getMatchConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getName()).isEqualTo("governed-or-tuned");
              assertThat(c.getExpression())
                  .contains("k.endsWith('-tuning')")
                  .contains("'runtimepolicy.io/managed-env'")
                  .contains("'runtimepolicy.io/tuned-by'")
                  .doesNotContain("serviceaccount");
            });
  }

  @Test
  void injectAddsAPodWebhookThatOnlyOptedInPodsReachAndTheRightToWatchPods() {
    Rendered rendered = Rendered.chart(cli, "--set", "inject.enabled=true");
    List<MutatingWebhook> webhooks =
        rendered.only(MutatingWebhookConfiguration.class).getWebhooks();

    assertThat(webhooks)
        .extracting(MutatingWebhook::getName)
        .containsExactly(
            "workloads.runtimepolicy.io", "pods.runtimepolicy.io", "resize.runtimepolicy.io");
    MutatingWebhook pods = webhooks.get(1);
    assertThat(pods.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(pods.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("");
              assertThat(r.getResources()).containsExactly("pods");
              assertThat(r.getOperations()).containsExactly("CREATE");
            });
    assertThat(pods.getNamespaceSelector()).isEqualTo(webhooks.get(0).getNamespaceSelector());
    // No pod without the opt-in is sent: not even the operator's own marks or records count.
    assertThat(pods.getMatchConditions())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.getExpression())
                    .contains("k.startsWith('runtimepolicy.io/')")
                    .contains("k.endsWith('-tuning')")
                    .doesNotContain("managed-env"));
    assertThat(rendered.env()).containsEntry("RUNTIMEPOLICY_INJECT_ENABLED", "true");
    assertThat(rendered.only(ClusterRole.class).getRules())
        .anySatisfy(
            r -> {
              assertThat(r.getResources()).containsExactly("pods");
              assertThat(r.getVerbs()).containsExactly("list", "watch");
            });
    assertThat(
            Rendered.chart(cli, "--set", "stalePods.enabled=false")
                .only(ClusterRole.class)
                .getRules())
        .noneMatch(r -> r.getResources().contains("pods"));
  }

  @Test
  void aResizeOfAnOptedInOrControllerOwnedPodIsSentAndNeverPatchedAndPodsAreOnlyListed() {
    Rendered rendered = Rendered.chart(cli);
    MutatingWebhook resize = rendered.webhook("resize.runtimepolicy.io");

    assertThat(resize.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(resize.getReinvocationPolicy()).isEqualTo("Never");
    assertThat(resize.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResources()).containsExactly("pods/resize");
              assertThat(r.getOperations()).containsExactly("UPDATE");
            });
    assertThat(resize.getNamespaceSelector()).isEqualTo(rendered.webhook().getNamespaceSelector());
    assertThat(resize.getMatchConditions())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.getExpression())
                    .contains("k.endsWith('-tuning')")
                    .contains("r.controller"));
    // Enforce and Audit: a paged list of a governed namespace's pods; no watch without Inject.
    assertThat(rendered.only(ClusterRole.class).getRules())
        .filteredOn(r -> r.getResources().contains("pods"))
        .singleElement()
        .satisfies(r -> assertThat(r.getVerbs()).containsExactly("list"));
    assertThat(rendered.env()).containsEntry("RUNTIMEPOLICY_STALE_POD_SCAN_INTERVAL", "5m");
    assertThat(Rendered.chart(cli, "--set", "stalePods.enabled=false").env())
        .containsEntry("RUNTIMEPOLICY_STALE_POD_SCAN_INTERVAL", "0s");
  }

  @Test
  void theOperatorsLabelSelectorIsTheWebhooksObjectSelector() {
    MutatingWebhook webhook =
        Rendered.chart(cli, "--set-string", "deploymentLabelSelector=team=a\\,!legacy").webhook();

    assertThat(webhook.getObjectSelector().getMatchLabels())
        .containsExactly(Map.entry("team", "a"));
    assertThat(webhook.getObjectSelector().getMatchExpressions())
        .extracting(e -> e.getKey() + " " + e.getOperator())
        .containsExactly("legacy DoesNotExist");
    Cli.Result setBased =
        cli.helm(
            "template",
            "runtime-policy",
            ProjectFiles.chart().toString(),
            "--set-string",
            "deploymentLabelSelector=tier in (a)");
    assertThat(setBased.ok()).isFalse();
    assertThat(setBased.stderr()).contains("is not an equality-based term");
  }

  @Test
  void helmGeneratedCertificateServesTheWebhookServiceAndMatchesTheCaBundle() throws Exception {
    Rendered chart = Rendered.chart(cli);
    Map<String, String> tls = chart.only(Secret.class).getData();

    assertThat(chart.webhook().getClientConfig().getCaBundle()).isEqualTo(tls.get("ca.crt"));
    X509Certificate ca = certificate(tls.get("ca.crt"));
    X509Certificate serving = certificate(tls.get("tls.crt"));
    serving.verify(ca.getPublicKey());
    assertThat(serving.getSubjectAlternativeNames())
        .extracting(san -> String.valueOf(san.get(1)))
        .contains("runtime-policy-operator." + NS + ".svc");
    assertThat(decode(tls.get("tls.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
  }

  @Test
  void urlModeRegistersByUrlWithTheGivenCaBundle() {
    String url = "https://127.0.0.1:9443/mutate-workloads";
    MutatingWebhook webhook =
        Rendered.chart(cli, "--set", "webhook.url=" + url, "--set", "webhook.caBundle=Q0E=")
            .webhook();

    assertThat(webhook.getClientConfig().getUrl()).isEqualTo(url);
    assertThat(webhook.getClientConfig().getService()).isNull();
    assertThat(webhook.getClientConfig().getCaBundle()).isEqualTo("Q0E=");
  }

  @Test
  void certManagerInjectsTheCaInsteadOfHelm() {
    Rendered chart = Rendered.chart(cli, "--set", "certManager.enabled=true");

    assertThat(chart.objects()).noneMatch(Secret.class::isInstance);
    assertThat(chart.webhook().getClientConfig().getCaBundle()).isNull();
    assertThat(chart.only(MutatingWebhookConfiguration.class).getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", NS + "/runtime-policy-operator-webhook");
  }

  @Test
  void watchedNamespacesAlsoLimitTheWebhook() {
    MutatingWebhook webhook =
        Rendered.chart(cli, "--set", "watchNamespaces={team-a,team-b}").webhook();

    assertThat(webhook.getNamespaceSelector().getMatchExpressions())
        .extracting(e -> e.getOperator() + " " + e.getValues())
        .containsExactly("NotIn [kube-system, " + NS + "]", "In [team-a, team-b]");
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }

  private static X509Certificate certificate(String base64Pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
  }
}
