package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.runtimepolicy.testing.Cli;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
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
  void webhookWarnsAndNeverBlocks() {
    ValidatingWebhook webhook = Rendered.chart(cli).webhook();

    assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(webhook.getTimeoutSeconds()).isBetween(1, 5);
    assertThat(webhook.getSideEffects()).isEqualTo("None");
    assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
    assertThat(webhook.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("apps");
              assertThat(r.getApiVersions()).containsExactly("v1");
              assertThat(r.getResources()).containsExactly("deployments");
              assertThat(r.getOperations()).containsExactly("CREATE", "UPDATE");
            });
    assertThat(webhook.getNamespaceSelector().getMatchExpressions())
        .extracting(e -> e.getKey() + " " + e.getOperator() + " " + e.getValues())
        .containsExactly("kubernetes.io/metadata.name NotIn [kube-system, " + NS + "]");
    assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/validate-deployments");
    assertThat(webhook.getClientConfig().getService().getPort()).isEqualTo(443);
    assertThat(webhook.getMatchConditions())
        .extracting(c -> c.getName())
        .containsExactly("java-tuning-enabled", "not-the-operator");
    assertThat(webhook.getMatchConditions().get(1).getExpression())
        .contains("system:serviceaccount:" + NS + ":runtime-policy-operator");
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
    String url = "https://127.0.0.1:9443/validate-deployments";
    ValidatingWebhook webhook =
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
    assertThat(chart.only(ValidatingWebhookConfiguration.class).getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", NS + "/runtime-policy-operator-webhook");
  }

  @Test
  void watchedNamespacesAlsoLimitTheWebhook() {
    ValidatingWebhook webhook =
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
