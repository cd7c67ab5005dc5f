package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.GoSpec;
import io.runtimepolicy.api.v1alpha1.JavaSpec;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.ProbesSpec;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicySettingsTest {

  private static final PolicySettings DEFAULTS =
      new PolicySettings(
          Mode.Enforce,
          "JAVA_TOOL_OPTIONS",
          CpuSource.LimitOrRequest,
          Rounding.Ceil,
          1,
          null,
          null,
          "5s");

  @Test
  void defaultsAreThoseOfTheDesign() {
    assertThat(PolicySettings.defaults()).isEqualTo(DEFAULTS);
    assertThat(PolicySettings.from(null)).isEqualTo(DEFAULTS);
    assertThat(PolicySettings.from(new RuntimePolicySpec())).isEqualTo(DEFAULTS);
  }

  @Test
  void nullsAtEveryLevelTakeTheDefaults() {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setMode(null);
    spec.setJava(null);
    spec.setProbes(null);
    assertThat(PolicySettings.from(spec)).isEqualTo(DEFAULTS);

    JavaSpec java = new JavaSpec();
    java.setOptionsEnvVar(null);
    java.setCpuSource(null);
    java.setRounding(null);
    java.setMinProcessors(null);
    ProbesSpec probes = new ProbesSpec();
    probes.setAppReadTimeout(null);
    spec.setJava(java);
    spec.setProbes(probes);
    assertThat(PolicySettings.from(spec)).isEqualTo(DEFAULTS);
  }

  @Test
  void readsEveryField() {
    JavaSpec java = new JavaSpec();
    java.setOptionsEnvVar("JDK_JAVA_OPTIONS");
    java.setCpuSource(CpuSource.Limit);
    java.setRounding(Rounding.Floor);
    java.setMinProcessors(2);
    java.setMaxProcessors(8);
    java.setMaxRAMPercentage(62.5);
    ProbesSpec probes = new ProbesSpec();
    probes.setAppReadTimeout("1500ms");
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setMode(Mode.Audit);
    spec.setJava(java);
    spec.setProbes(probes);

    assertThat(PolicySettings.from(spec))
        .isEqualTo(
            new PolicySettings(
                Mode.Audit,
                "JDK_JAVA_OPTIONS",
                CpuSource.Limit,
                Rounding.Floor,
                2,
                8,
                new BigDecimal("62.5"),
                "1500ms"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -3})
  void minProcessorsIsNeverBelowOne(int min) {
    JavaSpec java = new JavaSpec();
    java.setMinProcessors(min);
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setJava(java);
    assertThat(PolicySettings.from(spec).java().processors().minProcessors()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "-",
      value = {
        "75, 75.0",
        "75.0, 75.0",
        "62.5, 62.5",
        "0.1, 0.1",
        "100, 100.0",
        "33.333, 33.333",
        "0, -",
        "-5, -",
        "100.5, -",
        "NaN, -",
        "Infinity, -",
      })
  void maxRamPercentageIsAPlainDecimalOrNotManaged(Double percentage, String flagValue) {
    JavaSpec java = new JavaSpec();
    java.setMaxRAMPercentage(percentage);
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setJava(java);
    assertThat(PolicySettings.from(spec).java().maxRamPercentageFlagValue()).isEqualTo(flagValue);
  }

  @Test
  void blankStringsTakeTheDefaults() {
    PolicySettings settings = new PolicySettings(null, " ", null, null, 1, null, null, "");
    assertThat(settings).isEqualTo(DEFAULTS);
  }

  @Test
  void goTakesItsOwnSectionWithDefaultsAtEveryLevel() {
    assertThat(DEFAULTS.go())
        .isEqualTo(
            new GoSettings(
                new ProcessorRules(CpuSource.LimitOrRequest, Rounding.Ceil, 1, null, "GOMAXPROCS"),
                90,
                false));
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setGo(null);
    assertThat(PolicySettings.from(spec).go()).isEqualTo(DEFAULTS.go());

    GoSpec go = new GoSpec();
    go.setCpuSource(CpuSource.Limit);
    go.setRounding(Rounding.Floor);
    go.setMinProcessors(null);
    go.setMaxProcessors(3);
    go.setMemoryLimitPercent(null);
    go.setLeaveLimitToRuntime(null);
    spec.setGo(go);
    GoSettings settings = PolicySettings.from(spec).go();

    assertThat(settings.processors())
        .isEqualTo(new ProcessorRules(CpuSource.Limit, Rounding.Floor, 1, 3, "GOMAXPROCS"));
    assertThat(settings.memoryLimitPercent()).isNull();
    assertThat(settings.leaveLimitToRuntime()).isFalse();
    assertThat(PolicySettings.from(spec).java().processors())
        .isEqualTo(
            new ProcessorRules(
                CpuSource.LimitOrRequest, Rounding.Ceil, 1, null, "-XX:ActiveProcessorCount"));
  }
}
