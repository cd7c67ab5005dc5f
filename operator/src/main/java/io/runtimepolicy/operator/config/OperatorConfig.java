package io.runtimepolicy.operator.config;

import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.GoSpec;
import io.runtimepolicy.api.v1alpha1.JavaSpec;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.ProbesSpec;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
        r.bool("REPORTS_ENABLED", true),
        r.duration("REPORTS_CHECK_INTERVAL", Duration.ofMinutes(1)));
  }

  private static int processors(EnvReader r, String name) {
    Integer value = r.optionalProcessors(name, 1);
    return value == null ? 1 : value;
  }

  private static RuntimePolicySpec defaultPolicy(EnvReader r) {
    JavaSpec java = new JavaSpec();
    java.setOptionsEnvVar(r.optionsVariable("DEFAULT_OPTIONS_ENV_VAR", "JAVA_TOOL_OPTIONS"));
    java.setCpuSource(r.enumValue("DEFAULT_CPU_SOURCE", CpuSource.class, CpuSource.LimitOrRequest));
    java.setRounding(r.enumValue("DEFAULT_ROUNDING", Rounding.class, Rounding.Ceil));
    java.setMinProcessors(processors(r, "DEFAULT_MIN_PROCESSORS"));
    java.setMaxProcessors(r.optionalProcessors("DEFAULT_MAX_PROCESSORS", java.getMinProcessors()));
    java.setMaxRAMPercentage(r.optionalPercentage("DEFAULT_MAX_RAM_PERCENTAGE"));
    GoSpec go = new GoSpec();
    go.setCpuSource(
        r.enumValue("DEFAULT_GO_CPU_SOURCE", CpuSource.class, CpuSource.LimitOrRequest));
    go.setRounding(r.enumValue("DEFAULT_GO_ROUNDING", Rounding.class, Rounding.Ceil));
    go.setMinProcessors(processors(r, "DEFAULT_GO_MIN_PROCESSORS"));
    go.setMaxProcessors(r.optionalProcessors("DEFAULT_GO_MAX_PROCESSORS", go.getMinProcessors()));
    go.setMemoryLimitPercent(
        r.percentOrNone("DEFAULT_GO_MEMORY_LIMIT_PERCENT", GoSpec.DEFAULT_MEMORY_LIMIT_PERCENT));
    go.setLeaveLimitToRuntime(r.bool("DEFAULT_GO_LEAVE_LIMIT_TO_RUNTIME", false));
    ProbesSpec probes = new ProbesSpec();
    probes.setAppReadTimeout(r.goDuration("DEFAULT_APP_READ_TIMEOUT", "5s"));
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setMode(r.enumValue("DEFAULT_MODE", Mode.class, Mode.Enforce));
    spec.setJava(java);
    spec.setGo(go);
    spec.setProbes(probes);
    return spec;
  }
}
