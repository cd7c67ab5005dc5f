package io.runtimepolicy.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.config.OperatorConfig;
import io.runtimepolicy.testing.SelfSignedCertificate;
import io.runtimepolicy.testing.WebhookRegistrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The operator started in-process as in production: reconciler and mutating webhook, the webhook
 * registered with the API server from the chart's own definition by a loopback URL. Enforce sets
 * values through that webhook, so an operator without it could not tune anything.
 */
public final class InProcessOperator {

  public static final String OPERATOR_NAMESPACE = "runtime-policy";

  private InProcessOperator() {}

  /** {@code env}: more RUNTIMEPOLICY_* settings; health on a free port unless given. */
  public static RunningOperator start(KubernetesClient client, Map<String, String> env)
      throws Exception {
    return start(
        client,
        env,
        SelfSignedCertificate.create(Files.createTempDirectory("runtime-policy-webhook")));
  }

  /** As {@link #start(KubernetesClient, Map)}, serving {@code cert} (its files may change). */
  public static RunningOperator start(
      KubernetesClient client, Map<String, String> env, SelfSignedCertificate cert)
      throws Exception {
    int port = freePort();
    Map<String, String> all = env(env, cert, port);
    RunningOperator operator = OperatorMain.start(OperatorConfig.fromEnv(all), client);
    try {
      String watched = all.getOrDefault("RUNTIMEPOLICY_WATCH_NAMESPACES", "");
      String probe = watched.isBlank() ? "default" : watched.split(",")[0].trim();
      String[] values =
          Boolean.parseBoolean(all.get("RUNTIMEPOLICY_INJECT_ENABLED"))
              ? new String[] {"inject.enabled=true"}
              : new String[0];
      WebhookRegistrations.registerAndAwait(
          client, port, cert.caPem(), OPERATOR_NAMESPACE, probe, values);
    } catch (RuntimeException e) {
      operator.close();
      throw e;
    }
    return operator;
  }

  /**
   * The operator's environment as {@link #start} gives it: health on a free port, the webhook on
   * {@code webhookPort} serving {@code cert}, then {@code env} over it.
   */
  public static Map<String, String> env(
      Map<String, String> env, SelfSignedCertificate cert, int webhookPort) {
    Map<String, String> all = new HashMap<>();
    all.put("RUNTIMEPOLICY_HEALTH_PORT", "0");
    all.put("RUNTIMEPOLICY_OPERATOR_NAMESPACE", OPERATOR_NAMESPACE);
    all.put("RUNTIMEPOLICY_WEBHOOK_PORT", Integer.toString(webhookPort));
    all.put("RUNTIMEPOLICY_WEBHOOK_CERT_FILE", cert.certFile().toString());
    all.put("RUNTIMEPOLICY_WEBHOOK_KEY_FILE", cert.keyFile().toString());
    all.putAll(env);
    return all;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
