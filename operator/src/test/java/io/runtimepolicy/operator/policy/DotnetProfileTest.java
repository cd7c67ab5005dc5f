package io.runtimepolicy.operator.policy;

import static io.runtimepolicy.operator.policy.CpuPolicyTest.quantity;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * .NET, against the runtime's documented parsing (no .NET runtime on these machines): {@code
 * DOTNET_PROCESSOR_COUNT} is a decimal count, and every {@code DOTNET_GC*} environment variable is
 * read as hexadecimal, "For example, to specify a value of 75%, ... DOTNET_GCHeapHardLimitPercent
 * ... 0x4B or 4B" (learn.microsoft.com/dotnet/core/runtime-config/garbage-collector, Heap limit
 * percent).
 */
class DotnetProfileTest {

  private static final Map<String, String> DOTNET =
      Map.of("runtimepolicy.io/dotnet-tuning", "enabled");

  @ParameterizedTest(name = "{0} % is {1}")
  @CsvSource({"75, 4B", "1, 1", "10, A", "50, 32", "100, 64"})
  void thePercentageIsWrittenInHexAsTheGcReadsIt(int percent, String hex) {
    assertThat(DotnetProfile.hex(percent)).isEqualTo(hex);
    assertThat(Integer.parseInt(hex, 16)).isEqualTo(percent);
  }

  @Test
  void aRequestOnlyContainerGetsItsProcessorCountAndNoHeapLimitUnlessConfigured() {
    ContainerEvaluation app = only(PolicySettings.defaults(), pod("1500m", null, "1Gi"));

    assertThat(app.runtime()).isEqualTo("DotNet");
    assertThat(app.desired()).containsExactly(Map.entry("DOTNET_PROCESSOR_COUNT", "2"));
  }

  @Test
  void aConfiguredPercentageWithALimitSetsTheHeapHardLimitInHex() {
    ContainerEvaluation app = only(withPercent(75), pod(null, "2", "1Gi"));

    assertThat(app.desired())
        .containsExactly(
            Map.entry("DOTNET_PROCESSOR_COUNT", "2"),
            Map.entry("DOTNET_GCHeapHardLimitPercent", "4B"));
  }

  @Test
  void withoutAMemoryLimitThePercentageOfTheNodeIsNotSet() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(withPercent(75), DOTNET, pod(null, "2", null));

    assertThat(evaluation.containers().get(0).desired())
        .containsExactly(Map.entry("DOTNET_PROCESSOR_COUNT", "2"));
    assertThat(evaluation.findings())
        .extracting(Finding::reason)
        .containsExactly(Reasons.MEMORY_LIMIT_MISSING);
  }

  @Test
  void onlyItsOwnValuesAreRecordsItCouldHaveWritten() {
    DotnetProfile dotnet = new DotnetProfile();

    assertThat(dotnet.wrote("DOTNET_GCHeapHardLimitPercent", new ManagedEnv.Entry("4B", null)))
        .isTrue();
    assertThat(dotnet.wrote("DOTNET_GCHeapHardLimitPercent", new ManagedEnv.Entry("65", null)))
        .isFalse();
    assertThat(dotnet.wrote("DOTNET_GCHeapHardLimitPercent", new ManagedEnv.Entry("FF", null)))
        .isFalse();
    assertThat(dotnet.wrote("DOTNET_PROCESSOR_COUNT", new ManagedEnv.Entry("3", "16"))).isTrue();
    assertThat(dotnet.wrote("DOTNET_PROCESSOR_COUNT", new ManagedEnv.Entry("0x3", null))).isFalse();
  }

  private static PolicySettings withPercent(int percent) {
    DotnetProfile.Section dotnet = new DotnetProfile.Section();
    dotnet.setHeapHardLimitPercent(percent);
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setRuntime("dotnet", dotnet);
    return PolicySettings.from(spec);
  }

  private static ContainerEvaluation only(PolicySettings settings, PodSpec pod) {
    return WorkloadEvaluator.evaluate(settings, DOTNET, pod).containers().get(0);
  }

  private static PodSpec pod(String cpuRequest, String cpuLimit, String memoryLimit) {
    var resources = new ContainerBuilder().withName("app").withImage("dotnet").withNewResources();
    if (cpuRequest != null) {
      resources.addToRequests("cpu", quantity(cpuRequest));
    }
    if (cpuLimit != null) {
      resources.addToLimits("cpu", quantity(cpuLimit));
    }
    if (memoryLimit != null) {
      resources.addToLimits("memory", quantity(memoryLimit));
    }
    return new PodSpecBuilder().addToContainers(resources.endResources().build()).build();
  }
}
