package io.runtimepolicy.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runtimepolicy.api.v1alpha1.GoSpec;
import io.runtimepolicy.api.v1alpha1.JavaSpec;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.policy.Staleness.StaleValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a resize leaves stale in a pod tuned at its creation, from the one engine. */
class StalenessTest {

  private static final PolicySettings DEFAULTS = PolicySettings.defaults();
  private static final Map<String, String> GO = Map.of(Annotations.GO_TUNING, "enabled");
  private static final Map<String, String> JAVA = Map.of(Annotations.JAVA_TUNING, "enabled");
  private static final String AP = "-XX:ActiveProcessorCount";

  /**
   * One resize of one container, tuned at its creation with the before resources: {@code resources}
   * and {@code resized} are {@code kind=quantity} pairs ({@code limit.cpu=2}).
   */
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          go   | limit.cpu=2                            | limit.cpu=4                            | GOMAXPROCS=2 stays 2 after the CPU limit goes to 4 until the pod is recreated
          go   | limit.cpu=4                            | limit.cpu=1                            | GOMAXPROCS=4 stays 4 after the CPU limit goes to 1 until the pod is recreated
          go   | limit.cpu=2                            | limit.cpu=2500m                        | GOMAXPROCS=2 stays 2 after the CPU limit goes to 2500m until the pod is recreated
          go   | limit.cpu=1500m                        | limit.cpu=2                            |
          go   | request.cpu=2                          | request.cpu=3                          | GOMAXPROCS=2 stays 2 after the CPU request goes to 3 until the pod is recreated
          go   | limit.memory=512Mi                     | limit.memory=1Gi                       | GOMEMLIMIT=460MiB stays 460MiB after the memory limit goes to 1Gi until the pod is recreated
          go   | limit.cpu=1,limit.memory=512Mi         | limit.cpu=1,limit.memory=512Mi         |
          go   | limit.cpu=1                            | limit.cpu=1,request.cpu=500m           |
          java | limit.cpu=2                            | limit.cpu=3                            | -XX:ActiveProcessorCount=2 stays 2 after the CPU limit goes to 3 until the pod is recreated
          java | request.cpu=1                          | request.cpu=4                          | -XX:ActiveProcessorCount=1 stays 1 after the CPU request goes to 4 until the pod is recreated
          java | limit.cpu=2,limit.memory=1Gi           | limit.cpu=2,limit.memory=2Gi           |
          java | limit.cpu=1,request.cpu=500m           | limit.cpu=1,request.cpu=1              |
          """)
  void oneResizeOfOneContainer(String runtime, String resources, String resized, String warning) {
    Map<String, String> annotations = "go".equals(runtime) ? GO : JAVA;
    PodSpec before = tuned(DEFAULTS, annotations, pod(container("app", resources)));
    PodSpec after = resized(before, "app", resized);

    List<StaleValue> stale = Staleness.afterResize(DEFAULTS, "default", annotations, before, after);

    List<String> expected = new ArrayList<>();
    if (warning != null) {
      expected.add(warning);
      if (warning.startsWith("GOMAXPROCS") && warning.contains("CPU limit")) {
        expected.add("or set go.leaveLimitToRuntime: true, so Go 1.25+ follows the CPU limit live");
      }
    }
    assertThat(Staleness.warnings(stale, after)).containsExactlyElementsOf(expected);
  }

  @Test
  void aCpuAndMemoryResizeNamesEachValueWithTheResourceThatMadeItStale() {
    PodSpec before = tuned(DEFAULTS, GO, pod(container("app", "limit.cpu=2,limit.memory=512Mi")));
    PodSpec after = resized(before, "app", "limit.cpu=4,limit.memory=1Gi");

    assertThat(Staleness.afterResize(DEFAULTS, "default", GO, before, after))
        .extracting(
            StaleValue::name, StaleValue::runsWith, StaleValue::computed, StaleValue::resource)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("GOMAXPROCS", "2", "4", "CPU limit"),
            org.assertj.core.api.Assertions.tuple(
                "GOMEMLIMIT", "460MiB", "921MiB", "memory limit"));
  }

  @Test
  void severalContainersAreNamedAndOnlyTheResizedOneWarns() {
    PodSpec before =
        tuned(
            DEFAULTS, JAVA, pod(container("app", "limit.cpu=2"), container("side", "limit.cpu=1")));
    PodSpec after = resized(before, "app", "limit.cpu=6");

    assertThat(
            Staleness.warnings(
                Staleness.afterResize(DEFAULTS, "default", JAVA, before, after), after))
        .containsExactly(
            "app: -XX:ActiveProcessorCount=2 stays 2 after the CPU limit goes to 6 until the pod is recreated");
  }

  @Test
  void twoContainersResizedAreNamedEachAndWarnedEach() {
    PodSpec before =
        tuned(DEFAULTS, GO, pod(container("a", "request.cpu=1"), container("b", "request.cpu=1")));
    PodSpec after = resized(resized(before, "a", "request.cpu=2"), "b", "request.cpu=3");

    assertThat(
            Staleness.warnings(
                Staleness.afterResize(DEFAULTS, "default", GO, before, after), after))
        .containsExactly(
            "a: GOMAXPROCS=1 stays 1 after the CPU request goes to 2 until the pod is recreated",
            "b: GOMAXPROCS=1 stays 1 after the CPU request goes to 3 until the pod is recreated");
  }

  @Test
  void withLeaveLimitToRuntimeALimitedGoContainerHasNothingToGoStale() {
    PolicySettings leave = settings(s -> s.setGo(go(g -> g.setLeaveLimitToRuntime(true))));
    PodSpec before = tuned(leave, GO, pod(container("app", "limit.cpu=2")));
    PodSpec after = resized(before, "app", "limit.cpu=4");

    assertThat(env(before, "app")).doesNotContainKey("GOMAXPROCS");
    assertThat(Staleness.afterResize(leave, "default", GO, before, after)).isEmpty();
  }

  @Test
  void floorRoundingKeepsTheValueAcrossAResizeWithinTheSameWholeCore() {
    PolicySettings floor = settings(s -> s.setGo(go(g -> g.setRounding(Rounding.Floor))));
    PodSpec before = tuned(floor, GO, pod(container("app", "limit.cpu=2")));

    assertThat(
            Staleness.afterResize(
                floor, "default", GO, before, resized(before, "app", "limit.cpu=2900m")))
        .isEmpty();
    assertThat(
            Staleness.afterResize(
                floor, "default", GO, before, resized(before, "app", "limit.cpu=3")))
        .extracting(StaleValue::computed)
        .containsExactly("3");
  }

  @Test
  void javaMaxRamPercentageIsAShareSoAMemoryResizeLeavesNothingStale() {
    PolicySettings ram = settings(s -> s.setJava(java(j -> j.setMaxRAMPercentage(75.0))));
    PodSpec before = tuned(ram, JAVA, pod(container("app", "limit.cpu=1,limit.memory=1Gi")));

    assertThat(
            Staleness.afterResize(
                ram,
                "default",
                JAVA,
                before,
                resized(before, "app", "limit.cpu=1,limit.memory=4Gi")))
        .isEmpty();
  }

  @Test
  void theUsersOwnOptionsDoNotMatterOnlyTheManagedFlag() {
    PodSpec sent = pod(container("app", "limit.cpu=2"));
    sent.getContainers().get(0).setEnv(List.of(new EnvVar("JAVA_TOOL_OPTIONS", "-Xss512k", null)));
    PodSpec before = tuned(DEFAULTS, JAVA, sent);

    assertThat(env(before, "app").get("JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2");
    assertThat(
            Staleness.afterResize(
                DEFAULTS, "default", JAVA, before, resized(before, "app", "limit.cpu=3")))
        .extracting(StaleValue::name, StaleValue::runsWith)
        .containsExactly(org.assertj.core.api.Assertions.tuple(AP, "2"));
  }

  @Test
  void aContainerNeverTunedOrNotGovernedHasNothingToGoStale() {
    PodSpec untuned = pod(container("app", "limit.cpu=2"));

    assertThat(
            Staleness.afterResize(
                DEFAULTS, "default", GO, untuned, resized(untuned, "app", "limit.cpu=4")))
        .isEmpty();
    PodSpec before = tuned(DEFAULTS, GO, pod(container("app", "limit.cpu=2")));
    assertThat(
            Staleness.afterResize(
                null, null, Map.of(), before, resized(before, "app", "limit.cpu=4")))
        .isEmpty();
  }

  @Test
  void aValueAlreadyStaleForAnotherReasonIsNotTheResizesDoing() {
    PodSpec before = tuned(DEFAULTS, GO, pod(container("app", "limit.cpu=2,limit.memory=512Mi")));
    PolicySettings changed = settings(s -> s.setGo(go(g -> g.setMemoryLimitPercent(50))));

    // Only the CPU was resized: GOMEMLIMIT is stale from the policy change, not from the resize.
    assertThat(
            Staleness.afterResize(
                changed,
                "default",
                GO,
                before,
                resized(before, "app", "limit.cpu=4,limit.memory=512Mi")))
        .extracting(StaleValue::name)
        .containsExactly("GOMAXPROCS");
  }

  /**
   * A usual warning fits Kubernetes' advice of 120 characters with the prefix (longer names are cut
   * with an ellipsis by the webhook's formatting).
   */
  @Test
  void warningsStayUnder120CharactersWithThePrefix() {
    PodSpec before =
        tuned(
            DEFAULTS,
            JAVA,
            pod(container("app", "request.cpu=1500m"), container("b", "request.cpu=1")));
    PodSpec after = resized(before, "app", "request.cpu=12");

    assertThat(
            Staleness.warnings(
                Staleness.afterResize(DEFAULTS, "default", JAVA, before, after), after))
        .isNotEmpty()
        .allSatisfy(w -> assertThat(("runtimepolicy: " + w).length()).isLessThan(120));
  }

  /**
   * Laws over random resizes: an unchanged pod, or one recreated with its new resources, has
   * nothing stale; every value named runs with what was computed before and differs from what is
   * computed now.
   */
  @Test
  void randomResizesObeyTheLaws() {
    Random random = new Random(22);
    String[] cpus = {"100m", "500m", "1", "1500m", "2", "2500m", "4", "7", "16"};
    String[] memories = {"64Mi", "512Mi", "1Gi", "3Gi"};
    for (int i = 0; i < 500; i++) {
      Map<String, String> annotations = random.nextBoolean() ? GO : JAVA;
      String kind = random.nextBoolean() ? "limit" : "request";
      String resources =
          kind + ".cpu=" + pick(random, cpus) + ",limit.memory=" + pick(random, memories);
      String resizedTo =
          kind + ".cpu=" + pick(random, cpus) + ",limit.memory=" + pick(random, memories);
      PodSpec before = tuned(DEFAULTS, annotations, pod(container("app", resources)));
      PodSpec after = resized(before, "app", resizedTo);

      assertThat(Staleness.afterResize(DEFAULTS, "default", annotations, before, before)).isEmpty();
      PodSpec recreated = tuned(DEFAULTS, annotations, after);
      assertThat(Staleness.afterResize(DEFAULTS, "default", annotations, recreated, recreated))
          .isEmpty();
      for (StaleValue value :
          Staleness.afterResize(DEFAULTS, "default", annotations, before, after)) {
        assertThat(value.runsWith())
            .as(resources + " -> " + resizedTo)
            .isNotEqualTo(value.computed());
        assertThat(value.quantity()).isNotNull();
      }
    }
  }

  @Test
  void aPodVpaAdmittedWithMoreCpuThanItsTemplateRunsTheTemplatesValue() {
    PodSpec template = tuned(DEFAULTS, JAVA, pod(container("app", "request.cpu=1,limit.cpu=2")));
    PodSpec admitted = resized(template, "app", "request.cpu=2,limit.cpu=4");

    assertThat(Staleness.ofPod(DEFAULTS, "default", JAVA, template, admitted))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.name()).isEqualTo(AP);
              assertThat(v.runsWith()).isEqualTo("2");
              assertThat(v.computed()).isEqualTo("4");
              assertThat(v.resource()).isEqualTo("CPU limit");
            });
  }

  @Test
  void aPodOfAnOlderTemplateWhoseValuesMatchItsOwnResourcesIsNotStale() {
    PodSpec older = tuned(DEFAULTS, GO, pod(container("app", "limit.cpu=2")));
    PodSpec template = tuned(DEFAULTS, GO, pod(container("app", "limit.cpu=4")));

    assertThat(Staleness.ofPod(DEFAULTS, "default", GO, template, older)).isEmpty();
  }

  @Test
  void aPodWithItsTemplatesResourcesIsNeverStaleWhateverItsEnv() {
    PodSpec template = tuned(DEFAULTS, GO, pod(container("app", "limit.cpu=1")));
    // Written 1000m by a tool, 1 in the template: the same CPU.
    PodSpec pod = resized(template, "app", "limit.cpu=1000m");
    pod.getContainers().get(0).setEnv(List.of(new EnvVar("GOMAXPROCS", "7", null)));

    assertThat(Staleness.sameResources(template, pod)).isTrue();
    assertThat(Staleness.ofPod(DEFAULTS, "default", GO, template, pod)).isEmpty();
    assertThat(Staleness.sameResources(template, resized(template, "app", "limit.cpu=2")))
        .isFalse();
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** The spec as the webhook leaves it at the pod's creation. */
  private static PodSpec tuned(
      PolicySettings settings, Map<String, String> annotations, PodSpec spec) {
    PodSpec copy = new PodSpecBuilder(spec).build();
    TuningPlan plan = Tuning.plan(settings, "default", annotations, copy);
    for (TuningPlan.EnvEdit edit : plan.env()) {
      Container container =
          copy.getContainers().stream()
              .filter(c -> c.getName().equals(edit.container()))
              .findFirst()
              .orElseThrow();
      List<EnvVar> env =
          new ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
      env.removeIf(e -> e.getName().equals(edit.variable()));
      if (edit.value() != null) {
        env.add(new EnvVar(edit.variable(), edit.value(), null));
      }
      container.setEnv(env);
    }
    return copy;
  }

  /** {@code spec} with one container's resources replaced, as {@code pods/resize} does. */
  private static PodSpec resized(PodSpec spec, String name, String resources) {
    PodSpec copy = new PodSpecBuilder(spec).build();
    copy.getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .forEach(c -> c.setResources(container(name, resources).getResources()));
    return copy;
  }

  private static PodSpec pod(Container... containers) {
    return new PodSpecBuilder().withContainers(containers).build();
  }

  private static Container container(String name, String resources) {
    Map<String, Quantity> limits = new HashMap<>();
    Map<String, Quantity> requests = new HashMap<>();
    for (String pair : resources.split(",")) {
      String[] kv = pair.strip().split("=");
      String[] key = kv[0].split("\\.");
      (key[0].equals("limit") ? limits : requests).put(key[1], new Quantity(kv[1]));
    }
    return new ContainerBuilder()
        .withName(name)
        .withImage("registry.example/app:1")
        .withNewResources()
        .withLimits(limits)
        .withRequests(requests)
        .endResources()
        .build();
  }

  private static Map<String, String> env(PodSpec spec, String container) {
    Map<String, String> env = new HashMap<>();
    spec.getContainers().stream()
        .filter(c -> c.getName().equals(container))
        .flatMap(c -> c.getEnv() == null ? java.util.stream.Stream.empty() : c.getEnv().stream())
        .forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }

  private static PolicySettings settings(Consumer<RuntimePolicySpec> edit) {
    RuntimePolicySpec spec = new RuntimePolicySpec();
    edit.accept(spec);
    return PolicySettings.from(spec);
  }

  private static GoSpec go(Consumer<GoSpec> edit) {
    GoSpec go = new GoSpec();
    edit.accept(go);
    return go;
  }

  private static JavaSpec java(Consumer<JavaSpec> edit) {
    JavaSpec java = new JavaSpec();
    edit.accept(java);
    return java;
  }
}
