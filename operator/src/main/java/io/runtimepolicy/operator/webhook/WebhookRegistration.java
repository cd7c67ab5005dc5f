package io.runtimepolicy.operator.webhook;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The ValidatingWebhookConfiguration for a webhook server reached on the loopback address: for
 * local runs and tests, where the API server and the operator share a host. In a cluster the Helm
 * chart registers the webhook through a Service instead.
 */
public final class WebhookRegistration {
  public static final String NAME = "runtime-policy-operator";
  public static final String WEBHOOK_NAME = "deployments.runtimepolicy.io";
  public static final int DEFAULT_TIMEOUT_SECONDS = 5;
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private WebhookRegistration() {}

  /** {@link #loopback(int, String, String, int)} with the default timeout of 5 seconds. */
  public static ValidatingWebhookConfiguration loopback(
      int port, String caPem, String operatorNamespace) {
    return loopback(port, caPem, operatorNamespace, DEFAULT_TIMEOUT_SECONDS);
  }

  /**
   * Deployment CREATE and UPDATE in every namespace except kube-system and the operator's own, sent
   * to {@code https://127.0.0.1:<port>/validate-deployments}; a failing or slow webhook never
   * blocks a write ({@code failurePolicy: Ignore}).
   *
   * @param caPem PEM of the CA (or the self-signed certificate) the server's certificate chains to
   * @param timeoutSeconds 1..30, as the API server allows
   */
  public static ValidatingWebhookConfiguration loopback(
      int port, String caPem, String operatorNamespace, int timeoutSeconds) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be within 1..65535, got " + port);
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 30) {
      throw new IllegalArgumentException(
          "timeoutSeconds must be within 1..30, got " + timeoutSeconds);
    }
    String caBundle =
        Base64.getEncoder()
            .encodeToString(
                Objects.requireNonNull(caPem, "caPem").getBytes(StandardCharsets.US_ASCII));
    return new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(NAME)
        .endMetadata()
        .withWebhooks(
            new ValidatingWebhookBuilder()
                .withName(WEBHOOK_NAME)
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:" + port + ReviewEndpoint.PATH)
                .withCaBundle(caBundle)
                .endClientConfig()
                .addNewRule()
                .withApiGroups("apps")
                .withApiVersions("v1")
                .withResources("deployments")
                .withOperations("CREATE", "UPDATE")
                .withScope("Namespaced")
                .endRule()
                .withNamespaceSelector(
                    new LabelSelectorBuilder()
                        .addNewMatchExpression()
                        .withKey(NAMESPACE_NAME_LABEL)
                        .withOperator("NotIn")
                        .withValues(excludedNamespaces(operatorNamespace))
                        .endMatchExpression()
                        .build())
                .withFailurePolicy("Ignore")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(timeoutSeconds)
                .withMatchPolicy("Equivalent")
                .build())
        .build();
  }

  private static List<String> excludedNamespaces(String operatorNamespace) {
    var names = new LinkedHashSet<String>();
    names.add("kube-system");
    names.add(Objects.requireNonNull(operatorNamespace, "operatorNamespace"));
    return List.copyOf(names);
  }
}
