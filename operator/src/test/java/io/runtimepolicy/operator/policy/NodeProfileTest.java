package io.runtimepolicy.operator.policy;

import static io.runtimepolicy.operator.policy.CpuPolicyTest.quantity;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Node: --max-old-space-size merged into NODE_OPTIONS, the user's own options kept. */
class NodeProfileTest {

  private static final Map<String, String> NODE = Map.of("runtimepolicy.io/node-tuning", "enabled");
  private static final String NODE_OPTIONS = "NODE_OPTIONS";

  @ParameterizedTest(name = "{0} at {1}% is {2} MiB")
  @CsvSource({
    "1Gi, 75, 768",
    "512Mi, 75, 384",
    "1000M, 75, 715",
    "1Gi, 100, 1024",
    "1Mi, 1, 1",
  })
  void theHeapIsAShareOfTheLimitInWholeMibRoundedDown(String limit, int percent, String mib) {
    assertThat(NodeProfile.oldSpaceMib(quantity(limit).getNumericalAmount(), percent))
        .isEqualTo(mib);
  }

  @Test
  void anAbsurdLimitSaturatesInsteadOfExpanding() {
    assertThat(NodeProfile.oldSpaceMib(new BigDecimal("1e999999999"), 75))
        .isEqualTo("6597069766655");
  }

  @Test
  void theFlagIsMergedIntoTheUsersOwnOptions() {
    ContainerEvaluation app =
        only(
            PolicySettings.defaults(),
            pod("1Gi", "--enable-source-maps --max-old-space-size=4096"));

    assertThat(app.runtime()).isEqualTo("Node");
    assertThat(app.desired())
        .containsExactly(Map.entry(NODE_OPTIONS, "--enable-source-maps --max-old-space-size=768"));
    assertThat(app.change(NODE_OPTIONS).orElseThrow().managed())
        .isEqualTo("--max-old-space-size=768");
  }

  @Test
  void noMemoryLimitSetsNothingWithANotice() {
    WorkloadEvaluation evaluation =
        WorkloadEvaluator.evaluate(PolicySettings.defaults(), NODE, pod(null, null));

    assertThat(evaluation.containers().get(0).desired()).isEmpty();
    assertThat(evaluation.findings())
        .extracting(Finding::reason)
        .containsExactly(Reasons.MEMORY_LIMIT_MISSING);
  }

  @Test
  void aNullPercentageManagesNothing() {
    NodeProfile.Section node = new NodeProfile.Section();
    node.setMaxOldSpacePercent(null);
    RuntimePolicySpec spec = new RuntimePolicySpec();
    spec.setRuntime("node", node);

    assertThat(only(PolicySettings.from(spec), pod("1Gi", null)).desired()).isEmpty();
  }

  @Test
  void leavingGivesBackTheUsersOptionsExactly() {
    String user = "--enable-source-maps  --max-old-space-size=4096";
    TuningPlan tuned = Tuning.plan(PolicySettings.defaults(), "default", NODE, pod("1Gi", user));
    String set = tuned.env().get(0).value();
    Map<String, String> left = new HashMap<>();
    tuned.annotations().forEach(edit -> left.put(edit.key(), edit.value()));
    left.remove("runtimepolicy.io/tuned-by");

    TuningPlan back = Tuning.plan(null, "default", left, pod("1Gi", set));

    assertThat(back.env()).containsExactly(new TuningPlan.EnvEdit("app", NODE_OPTIONS, user));
  }

  @Test
  void aRecordIsOnlyItsOwnWhenTheSetValueIsTheUsersWithTheFlagMerged() {
    NodeProfile node = new NodeProfile();

    assertThat(
            node.wrote(NODE_OPTIONS, new ManagedEnv.Entry("--x --max-old-space-size=768", "--x")))
        .isTrue();
    assertThat(
            node.wrote(NODE_OPTIONS, new ManagedEnv.Entry("--y --max-old-space-size=768", "--x")))
        .isFalse();
    assertThat(node.wrote(NODE_OPTIONS, new ManagedEnv.Entry("--max-old-space-size=big", null)))
        .isFalse();
    assertThat(
            node.wrote("JAVA_TOOL_OPTIONS", new ManagedEnv.Entry("--max-old-space-size=1", null)))
        .isFalse();
  }

  private static ContainerEvaluation only(PolicySettings settings, PodSpec pod) {
    return WorkloadEvaluator.evaluate(settings, NODE, pod).containers().get(0);
  }

  private static PodSpec pod(String memoryLimit, String nodeOptions) {
    ContainerBuilder app = new ContainerBuilder().withName("app").withImage("node:22");
    if (memoryLimit != null) {
      app.withNewResources().addToLimits("memory", quantity(memoryLimit)).endResources();
    }
    if (nodeOptions != null) {
      app.addToEnv(new EnvVarBuilder().withName(NODE_OPTIONS).withValue(nodeOptions).build());
    }
    return new PodSpecBuilder().addToContainers(app.build()).build();
  }
}
