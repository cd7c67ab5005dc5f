package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runtimepolicy.api.v1alpha1.ContainerResult;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.ManagedEnv;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.Tuning;
import io.runtimepolicy.operator.policy.TuningPlan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What status and Events say about a plan, whatever the runtimes in it. */
class OutcomesTest {

  private static final Map<String, String> BOTH =
      Map.of(
          Annotations.JAVA_TUNING, "enabled",
          Annotations.GO_TUNING, "enabled",
          Annotations.JAVA_CONTAINERS, "app",
          Annotations.GO_CONTAINERS, "proxy");

  @Test
  void changesAreDescribedPerVariableInTheRuntimesOwnTerms() {
    TuningPlan plan = Tuning.plan(PolicySettings.defaults(), "default", BOTH, pod());

    assertThat(Outcomes.describeChange(plan))
        .isEqualTo(
            "container app: -XX:ActiveProcessorCount=2 in JAVA_TOOL_OPTIONS; container proxy:"
                + " GOMAXPROCS=1; container proxy: GOMEMLIMIT=460MiB");
  }

  @Test
  void theRecordInPlaceIsDescribedTheSameWay() {
    TuningPlan plan = Tuning.plan(PolicySettings.defaults(), "default", BOTH, pod());
    String record =
        plan.annotations().stream()
            .filter(a -> a.key().equals(Annotations.MANAGED_ENV))
            .findFirst()
            .orElseThrow()
            .value();

    assertThat(Outcomes.describeManaged(ManagedEnv.parse(record), plan.evaluation()))
        .isEqualTo(Outcomes.describeChange(plan));
  }

  @Test
  void giveBackIsDescribedWithoutTheRuntime() {
    Map<String, String> annotations = new HashMap<>(BOTH);
    annotations.put(
        Annotations.MANAGED_ENV, "{\"proxy\":{\"GOMAXPROCS\":{\"set\":\"1\",\"user\":\"64\"}}}");
    PodSpec pod =
        new PodSpecBuilder()
            .addToContainers(
                new ContainerBuilder()
                    .withName("proxy")
                    .withEnv(new EnvVar("GOMAXPROCS", "1", null))
                    .build())
            .build();

    assertThat(Outcomes.describeChange(Tuning.plan(null, null, annotations, pod)))
        .isEqualTo("container proxy: GOMAXPROCS given back as the user wrote it");
  }

  @Test
  void statusNamesEachContainersRuntimeAndItsValues() {
    TuningPlan plan = Tuning.plan(PolicySettings.defaults(), "default", BOTH, pod());

    assertThat(Outcomes.containers(plan.evaluation()))
        .extracting(
            ContainerResult::getName,
            ContainerResult::getRuntime,
            ContainerResult::getActiveProcessorCount,
            ContainerResult::getGomaxprocs,
            ContainerResult::getGomemlimit)
        .containsExactly(
            tuple("app", "Java", 2, null, null), tuple("proxy", "Go", null, 1, "460MiB"));
  }

  @Test
  void workloadsWhoseContainersCameOutTheSameShareTheirResults() {
    List<ContainerResult> one =
        Outcomes.containers(
            Tuning.plan(PolicySettings.defaults(), "default", BOTH, pod()).evaluation());
    List<ContainerResult> two =
        Outcomes.containers(
            Tuning.plan(PolicySettings.defaults(), "default", BOTH, pod()).evaluation());
    PodSpec more = pod();
    more.getContainers().get(0).getResources().getLimits().put("cpu", new Quantity("3"));
    List<ContainerResult> three =
        Outcomes.containers(
            Tuning.plan(PolicySettings.defaults(), "default", BOTH, more).evaluation());

    assertThat(one.get(0)).isSameAs(two.get(0));
    assertThat(one.get(1)).isSameAs(two.get(1));
    assertThat(three.get(0)).isNotSameAs(one.get(0));
    assertThat(three.get(0).getActiveProcessorCount()).isEqualTo(3);
    assertThat(three.get(1)).isSameAs(one.get(1));
    assertThatThrownBy(() -> one.get(1).getEnv().put("GOGC", "50"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static PodSpec pod() {
    return new PodSpecBuilder()
        .addToContainers(
            new ContainerBuilder()
                .withName("app")
                .withNewResources()
                .addToLimits("cpu", new Quantity("2"))
                .endResources()
                .build(),
            new ContainerBuilder()
                .withName("proxy")
                .withNewResources()
                .addToLimits("cpu", new Quantity("500m"))
                .addToLimits("memory", new Quantity("512Mi"))
                .endResources()
                .build())
        .build();
  }
}
