package io.runtimepolicy.operator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.PolicySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the operator process is configured with, read once from environment variables (the
 * Helm chart sets them). A bad value stops startup with a message naming the variable.
 */
public record OperatorConfig(
    String operatorNamespace,
    Set<String> watchNamespaces,
    String deploymentLabelSelector,
    RuntimePolicySpec defaultPolicy,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    int healthPort,
    boolean webhookEnabled,
    int webhookPort,
    Path webhookCertFile,
    Path webhookKeyFile,
    Duration webhookReadTimeout,
    int resultsLimit,
    Duration resyncPeriod,
    int writeConcurrency,
    boolean injectEnabled,
    Duration untunedPodScanInterval,
    Duration stalePodScanInterval,
    boolean reportsEnabled,
    Duration reportsCheckInterval) {

  public static final String PREFIX = "RUNTIMEPOLICY_";

  public static OperatorConfig fromEnv(Map<String, String> env) {
    EnvReader r = new EnvReader(env, PREFIX);
    String namespace = r.string("OPERATOR_NAMESPACE", "runtime-policy");
    return new OperatorConfig(
        namespace,
        Arrays.stream(r.string("WATCH_NAMESPACES", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        r.string("DEPLOYMENT_LABEL_SELECTOR", ""),
        defaultPolicy(r),
        r.bool("LEADER_ELECTION", false),
        r.string("LEASE_NAME", "runtime-policy-operator"),
        r.string("LEASE_NAMESPACE", namespace),
        r.port("HEALTH_PORT", 8080),
        r.bool("WEBHOOK_ENABLED", true),
        r.port("WEBHOOK_PORT", 9443),
        Path.of(r.string("WEBHOOK_CERT_FILE", "/etc/runtime-policy/tls/tls.crt")),
        Path.of(r.string("WEBHOOK_KEY_FILE", "/etc/runtime-policy/tls/tls.key")),
        r.duration("WEBHOOK_READ_TIMEOUT", Duration.ofSeconds(2)),
        r.intAtLeast("RESULTS_LIMIT", 50, 1),
        r.duration("RESYNC_PERIOD", Duration.ofMinutes(10)),
        r.intAtLeast("WRITE_CONCURRENCY", 4, 1),
        r.bool("INJECT_ENABLED", false),
        r.duration("UNTUNED_POD_SCAN_INTERVAL", Duration.ofMinutes(1)),
        r.duration("STALE_POD_SCAN_INTERVAL", Duration.ofMinutes(5)),
        r.bool("REPORTS_ENABLED", true),
        r.duration("REPORTS_CHECK_INTERVAL", Duration.ofMinutes(1)));
  }

  /**
   * {@code RUNTIMEPOLICY_DEFAULT_POLICY}: one RuntimePolicy spec, JSON or YAML (the chart writes
   * its {@code defaultPolicy} value with {@code toJson}), read with the CRD's own model, so every
   * runtime section a policy may have, the default may have too. Absent: every default of the CRD.
   */
  private static RuntimePolicySpec defaultPolicy(EnvReader r) {
    String name = PREFIX + "DEFAULT_POLICY";
    String text = r.string("DEFAULT_POLICY", "");
    if (text.isBlank()) {
      return new RuntimePolicySpec();
    }
    JsonNode document;
    try {
      document = Serialization.unmarshal(text, JsonNode.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + " is not JSON or YAML: " + rootMessage(e), e);
    }
    if (document == null || !document.isObject()) {
      throw new IllegalArgumentException(name + " is not a RuntimePolicy spec (an object)");
    }
    List<String> problems = new ArrayList<>(SpecSchema.problems(document));
    RuntimePolicySpec spec = null;
    if (problems.isEmpty()) {
      spec = Serialization.jsonMapper().convertValue(document, RuntimePolicySpec.class);
      problems.addAll(PolicySettings.from(spec).problems());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(name + " is not valid: " + String.join("; ", problems));
    }
    return spec;
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause instanceof JsonProcessingException json
        ? json.getOriginalMessage()
        : cause.getMessage();
  }
}
