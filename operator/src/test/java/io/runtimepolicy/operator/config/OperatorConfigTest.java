package io.runtimepolicy.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.Rounding;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperatorConfigTest {

  @Test
  void defaultsMatchTheChartAndTheDesign() {
    OperatorConfig config = OperatorConfig.fromEnv(Map.of());

    assertThat(config.defaultPolicy().getMode()).isEqualTo(Mode.Enforce);
    assertThat(config.defaultPolicy().getJava().getOptionsEnvVar()).isEqualTo("JAVA_TOOL_OPTIONS");
    assertThat(config.defaultPolicy().getProbes().getAppReadTimeout()).isEqualTo("5s");
    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.webhookReadTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.resultsLimit()).isEqualTo(50);
    assertThat(config.writeConcurrency()).isEqualTo(4);
    var go = config.defaultPolicy().getGo();
    assertThat(go.getCpuSource()).isEqualTo(CpuSource.LimitOrRequest);
    assertThat(go.getRounding()).isEqualTo(Rounding.Ceil);
    assertThat(go.getMinProcessors()).isEqualTo(1);
    assertThat(go.getMaxProcessors()).isNull();
    assertThat(go.getMemoryLimitPercent()).isEqualTo(90);
    assertThat(go.getLeaveLimitToRuntime()).isFalse();
  }

  private static final String POLICY = "RUNTIMEPOLICY_DEFAULT_POLICY";

  @Test
  void reportsAreOnAndTheirApiIsLookedForEveryMinuteUnlessSetOtherwise() {
    OperatorConfig defaults = OperatorConfig.fromEnv(Map.of());
    assertThat(defaults.reportsEnabled()).isTrue();
    assertThat(defaults.reportsCheckInterval()).isEqualTo(Duration.ofMinutes(1));

    OperatorConfig set =
        OperatorConfig.fromEnv(
            Map.of(
                "RUNTIMEPOLICY_REPORTS_ENABLED", "false",
                "RUNTIMEPOLICY_REPORTS_CHECK_INTERVAL", "2s"));
    assertThat(set.reportsEnabled()).isFalse();
    assertThat(set.reportsCheckInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theDefaultPolicyIsOneSpecDocumentAndANullPercentageMeansUnmanaged() {
    var policy =
        OperatorConfig.fromEnv(
                Map.of(
                    POLICY,
                    """
                    {"mode":"Audit","java":{"rounding":"Floor","maxProcessors":8,
                     "maxRAMPercentage":75},"go":{"cpuSource":"Limit","rounding":"Floor",
                     "minProcessors":2,"maxProcessors":4,"memoryLimitPercent":null,
                     "leaveLimitToRuntime":true},"probes":{"appReadTimeout":"1500ms"}}"""))
            .defaultPolicy();

    assertThat(policy.getMode()).isEqualTo(Mode.Audit);
    assertThat(policy.getJava().getRounding()).isEqualTo(Rounding.Floor);
    assertThat(policy.getJava().getMaxProcessors()).isEqualTo(8);
    assertThat(policy.getJava().getMaxRAMPercentage()).isEqualTo(75.0);
    assertThat(policy.getJava().getOptionsEnvVar()).isEqualTo("JAVA_TOOL_OPTIONS");
    var go = policy.getGo();
    assertThat(go.getCpuSource()).isEqualTo(CpuSource.Limit);
    assertThat(go.getRounding()).isEqualTo(Rounding.Floor);
    assertThat(go.getMinProcessors()).isEqualTo(2);
    assertThat(go.getMaxProcessors()).isEqualTo(4);
    assertThat(go.getMemoryLimitPercent()).isNull();
    assertThat(go.getLeaveLimitToRuntime()).isTrue();
    assertThat(policy.getProbes().getAppReadTimeout()).isEqualTo("1500ms");
  }

  @Test
  void theDefaultPolicyMayDeclareCustomRuntimes() {
    var policy =
        OperatorConfig.fromEnv(
                Map.of(
                    POLICY,
                    "custom: [{name: tokio, env: [{name: TOKIO_WORKER_THREADS, value:"
                        + " Processors}]}]"))
            .defaultPolicy();

    assertThat(policy.getCustom())
        .singleElement()
        .satisfies(tokio -> assertThat(tokio.getName()).isEqualTo("tokio"));
  }

  @Test
  void theDefaultPolicyMayBeYamlAndASectionLeftOutTakesItsDefaults() {
    var policy = OperatorConfig.fromEnv(Map.of(POLICY, "mode: Audit\n")).defaultPolicy();

    assertThat(policy.getMode()).isEqualTo(Mode.Audit);
    assertThat(policy.getGo().getMemoryLimitPercent()).isEqualTo(90);
  }

  @Test
  void readsEveryValue() {
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "RUNTIMEPOLICY_WATCH_NAMESPACES", "a, b",
                "RUNTIMEPOLICY_LEADER_ELECTION", "true",
                "RUNTIMEPOLICY_RESYNC_PERIOD", "1m30s"));

    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.resyncPeriod()).isEqualTo(Duration.ofSeconds(90));
  }

  @ParameterizedTest
  @CsvSource({
    "RUNTIMEPOLICY_HEALTH_PORT, 70000, a port from 0 to 65535",
    "RUNTIMEPOLICY_LEADER_ELECTION, yes, true or false",
    "RUNTIMEPOLICY_WRITE_CONCURRENCY, 0, a whole number of at least 1",
  })
  void aBadValueNamesTheVariableAndWhatItAccepts(String name, String value, String accepted) {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of(name, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name + "=\"" + value + "\"")
        .hasMessageContaining(accepted);
  }

  /** The default policy is checked as the API server checks a policy, each problem by its path. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"mode\":\"Sometimes\"}                    | spec.mode must be one of [\"Audit\", \"Enforce\", \"Inject\"]",
        "{\"java\":{\"minProcessors\":0}}            | spec.java.minProcessors must be at least 1",
        "{\"java\":{\"minProcessors\":1025}}         | spec.java.minProcessors must be at most 1024",
        "{\"java\":{\"maxRAMPercentage\":150}}       | spec.java.maxRAMPercentage must be at most 100",
        "{\"java\":{\"maxRAMPercentage\":0}}         | spec.java.maxRAMPercentage must be above 0",
        "{\"probes\":{\"appReadTimeout\":\"soon\"}} | spec.probes.appReadTimeout must match",
        "{\"go\":{\"memoryLimitPercent\":101}}       | spec.go.memoryLimitPercent must be at most 100",
        "{\"go\":{\"maxProcessors\":0}}              | spec.go.maxProcessors must be at least 1",
        "{\"go\":{\"minProcessors\":1000000}}        | spec.go.minProcessors must be at most 1024",
        "{\"go\":{\"leaveLimitToRuntime\":\"maybe\"}} | spec.go.leaveLimitToRuntime must be a boolean",
        "{\"java\":{\"optionsEnvVar\":\"PATH\"}}    | not a JVM options variable",
        "{\"java\":{\"optionsEnvVar\":\"GOMAXPROCS\"}} | not a JVM options variable",
        "{\"java\":{\"optionsEnvVar\":\"JAVA OPTS\"}} | spec.java.optionsEnvVar must match",
        "{\"jvm\":{}}                                 | spec.jvm is not a field of a RuntimePolicy spec",
        "{\"mode\": [                                 | is not JSON or YAML",
        "[1, 2]                                         | is not a RuntimePolicy spec",
        "custom: [{name: go, env: [{name: N, value: Processors}]}] | custom[0]: name go is a built-in runtime",
        "custom: [{name: a, env: [{name: PATH, value: Processors}]}] | variable \"PATH\" is not an env variable name, or is a system or options variable",
        "custom: [{name: a, env: [{name: N, value: Cores}]}] | spec.custom[0].env[0].value must be one of",
        "custom: [{name: a, env: [{name: N, value: Processors}]}, {name: a, env: [{name: N, value: Processors}]}] | custom[1]: name a is declared twice",
        "custom: [{name: a}]                          | spec.custom[0].env is required",
        "custom: [{name: a, env: []}]                 | spec.custom[0].env must have at least 1 items",
        "custom: [{name: Tokio, env: [{name: N, value: Processors}]}] | spec.custom[0].name must match",
        "custom: [{name: '', env: [{name: N, value: Processors}]}] | spec.custom[0].name must be at least 1 characters",
      })
  void aBadDefaultPolicyNamesThePathAndWhatIsWrong(String document, String problem) {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of(POLICY, document)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(POLICY)
        .hasMessageContaining(problem);
  }
}
