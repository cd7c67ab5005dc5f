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
  void readsEveryGoValueAndAnEmptyPercentageMeansUnmanaged() {
    var go =
        OperatorConfig.fromEnv(
                Map.of(
                    "RUNTIMEPOLICY_DEFAULT_GO_CPU_SOURCE", "Limit",
                    "RUNTIMEPOLICY_DEFAULT_GO_ROUNDING", "Floor",
                    "RUNTIMEPOLICY_DEFAULT_GO_MIN_PROCESSORS", "2",
                    "RUNTIMEPOLICY_DEFAULT_GO_MAX_PROCESSORS", "4",
                    "RUNTIMEPOLICY_DEFAULT_GO_MEMORY_LIMIT_PERCENT", "",
                    "RUNTIMEPOLICY_DEFAULT_GO_LEAVE_LIMIT_TO_RUNTIME", "true"))
            .defaultPolicy()
            .getGo();

    assertThat(go.getCpuSource()).isEqualTo(CpuSource.Limit);
    assertThat(go.getRounding()).isEqualTo(Rounding.Floor);
    assertThat(go.getMinProcessors()).isEqualTo(2);
    assertThat(go.getMaxProcessors()).isEqualTo(4);
    assertThat(go.getMemoryLimitPercent()).isNull();
    assertThat(go.getLeaveLimitToRuntime()).isTrue();
    assertThat(
            OperatorConfig.fromEnv(Map.of("RUNTIMEPOLICY_DEFAULT_GO_MEMORY_LIMIT_PERCENT", "75"))
                .defaultPolicy()
                .getGo()
                .getMemoryLimitPercent())
        .isEqualTo(75);
  }

  @Test
  void readsEveryValue() {
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "RUNTIMEPOLICY_DEFAULT_MODE", "Audit",
                "RUNTIMEPOLICY_DEFAULT_ROUNDING", "Floor",
                "RUNTIMEPOLICY_DEFAULT_MAX_PROCESSORS", "8",
                "RUNTIMEPOLICY_DEFAULT_MAX_RAM_PERCENTAGE", "75",
                "RUNTIMEPOLICY_WATCH_NAMESPACES", "a, b",
                "RUNTIMEPOLICY_LEADER_ELECTION", "true",
                "RUNTIMEPOLICY_RESYNC_PERIOD", "1m30s"));

    assertThat(config.defaultPolicy().getMode()).isEqualTo(Mode.Audit);
    assertThat(config.defaultPolicy().getJava().getRounding()).isEqualTo(Rounding.Floor);
    assertThat(config.defaultPolicy().getJava().getMaxProcessors()).isEqualTo(8);
    assertThat(config.defaultPolicy().getJava().getMaxRAMPercentage()).isEqualTo(75.0);
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.resyncPeriod()).isEqualTo(Duration.ofSeconds(90));
  }

  @ParameterizedTest
  @CsvSource({
    "RUNTIMEPOLICY_DEFAULT_MODE, Sometimes, one of [Enforce, Audit]",
    "RUNTIMEPOLICY_DEFAULT_MIN_PROCESSORS, 0, a whole number of at least 1",
    "RUNTIMEPOLICY_DEFAULT_MAX_RAM_PERCENTAGE, 150, a percentage above 0 and at most 100",
    "RUNTIMEPOLICY_DEFAULT_APP_READ_TIMEOUT, soon, a Go duration",
    "RUNTIMEPOLICY_HEALTH_PORT, 70000, a port from 0 to 65535",
    "RUNTIMEPOLICY_LEADER_ELECTION, yes, true or false",
    "RUNTIMEPOLICY_WRITE_CONCURRENCY, 0, a whole number of at least 1",
    "RUNTIMEPOLICY_DEFAULT_GO_MEMORY_LIMIT_PERCENT, 101, a whole percentage from 1 to 100",
    "RUNTIMEPOLICY_DEFAULT_GO_MEMORY_LIMIT_PERCENT, 0, a whole number of at least 1",
    "RUNTIMEPOLICY_DEFAULT_GO_MAX_PROCESSORS, 0, a whole number of at least 1",
    "RUNTIMEPOLICY_DEFAULT_MIN_PROCESSORS, 1025, a processor count from 1 to 1024",
    "RUNTIMEPOLICY_DEFAULT_MAX_PROCESSORS, 1025, a processor count from 1 to 1024",
    "RUNTIMEPOLICY_DEFAULT_GO_MIN_PROCESSORS, 1000000, a processor count from 1 to 1024",
    "RUNTIMEPOLICY_DEFAULT_GO_MAX_PROCESSORS, 1025, a processor count from 1 to 1024",
    "RUNTIMEPOLICY_DEFAULT_GO_LEAVE_LIMIT_TO_RUNTIME, maybe, true or false",
    "RUNTIMEPOLICY_DEFAULT_OPTIONS_ENV_VAR, PATH, not a system or runtime variable",
    "RUNTIMEPOLICY_DEFAULT_OPTIONS_ENV_VAR, GOMAXPROCS, not a system or runtime variable",
    "RUNTIMEPOLICY_DEFAULT_OPTIONS_ENV_VAR, JAVA OPTS, an env variable name for JVM options",
  })
  void aBadValueNamesTheVariableAndWhatItAccepts(String name, String value, String accepted) {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of(name, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name + "=\"" + value + "\"")
        .hasMessageContaining(accepted);
  }
}
