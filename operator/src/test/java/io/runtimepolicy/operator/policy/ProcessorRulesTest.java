package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Processor bounds the schema refuses (above 1024, below 1) but a policy stored before the bound,
 * or written with validation bypassed, can still carry: ignored, for Java and Go alike.
 */
class ProcessorRulesTest {

  @ParameterizedTest(name = "min={0} max={1}, CPU limit {2} -> {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        "1000000, -, 2, 2",
        "1025, -, 2, 2",
        "1024, -, 2, 1024",
        "0, -, 2, 2",
        "-5, -, 2, 2",
        "1, 1025, 2000, 2000",
        "1, 1024, 2000, 1024",
        "1, 0, 16, 16",
        "5, 1000000, 16, 16",
        "5, 8, 16, 8",
      })
  void outOfBoundProcessorSettingsAreTreatedAsNotSet(
      int min, Integer max, String limit, int expected) {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.getJava().setMinProcessors(min);
    spec.getJava().setMaxProcessors(max);
    spec.getGo().setMinProcessors(min);
    spec.getGo().setMaxProcessors(max);
    ResourceRequirements resources = CpuPolicyTest.cpu(limit, null);

    PolicySettings settings = PolicySettings.from(spec);

    assertThat(CpuPolicy.decide("app", resources, settings.java().processors()).processors())
        .as("-XX:ActiveProcessorCount")
        .isEqualTo(expected);
    assertThat(CpuPolicy.decide("proxy", resources, settings.go().processors()).processors())
        .as("GOMAXPROCS")
        .isEqualTo(expected);
  }
}
