package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookRegistrationTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void registersDeploymentWritesOnTheLoopbackUrl() {
    var configuration = WebhookRegistration.loopback(8443, CA, "runtime-policy");

    assertThat(configuration.getApiVersion()).isEqualTo("admissionregistration.k8s.io/v1");
    assertThat(configuration.getMetadata().getName()).isEqualTo("runtime-policy-operator");
    var webhook = configuration.getWebhooks().get(0);
    assertThat(webhook.getName()).isEqualTo("deployments.runtimepolicy.io");
    assertThat(webhook.getClientConfig().getUrl())
        .isEqualTo("https://127.0.0.1:8443/validate-deployments");
    assertThat(webhook.getClientConfig().getService()).isNull();
    assertThat(
            new String(
                Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle()),
                StandardCharsets.US_ASCII))
        .isEqualTo(CA);
    var rule = webhook.getRules().get(0);
    assertThat(rule.getApiGroups()).containsExactly("apps");
    assertThat(rule.getApiVersions()).containsExactly("v1");
    assertThat(rule.getResources()).containsExactly("deployments");
    assertThat(rule.getOperations()).containsExactly("CREATE", "UPDATE");
    assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(webhook.getSideEffects()).isEqualTo("None");
    assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
    assertThat(webhook.getTimeoutSeconds()).isEqualTo(5);
    assertThat(webhook.getMatchPolicy()).isEqualTo("Equivalent");
  }

  @Test
  void skipsKubeSystemAndTheOperatorsNamespace() {
    var selector =
        WebhookRegistration.loopback(8443, CA, "runtime-policy")
            .getWebhooks()
            .get(0)
            .getNamespaceSelector();

    assertThat(selector.getMatchLabels()).isNullOrEmpty();
    var expression = selector.getMatchExpressions().get(0);
    assertThat(expression.getKey()).isEqualTo("kubernetes.io/metadata.name");
    assertThat(expression.getOperator()).isEqualTo("NotIn");
    assertThat(expression.getValues()).containsExactly("kube-system", "runtime-policy");
    assertThat(
            WebhookRegistration.loopback(8443, CA, "kube-system")
                .getWebhooks()
                .get(0)
                .getNamespaceSelector()
                .getMatchExpressions()
                .get(0)
                .getValues())
        .containsExactly("kube-system");
  }

  @Test
  void timeoutIsAParameterWithinWhatTheApiServerAllows() {
    assertThat(
            WebhookRegistration.loopback(1, CA, "ns", 2).getWebhooks().get(0).getTimeoutSeconds())
        .isEqualTo(2);
    assertThatThrownBy(() -> WebhookRegistration.loopback(1, CA, "ns", 31))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookRegistration.loopback(0, CA, "ns"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
