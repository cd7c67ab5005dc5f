package io.runtimepolicy.operator.webhook;

import static io.runtimepolicy.operator.webhook.PlanApplier.apply;
import static io.runtimepolicy.operator.webhook.PlanApplier.container;
import static io.runtimepolicy.operator.webhook.PlanApplier.plan;
import static io.runtimepolicy.operator.webhook.PlanApplier.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.operator.policy.PolicySettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's laws for every runtime and for pods that mix them, through a real RFC 6902 applier:
 * the values land, a second plan changes nothing, and leaving gives back exactly what the user
 * wrote, whichever variables each runtime manages.
 */
class RuntimeLawsTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final PolicySettings DEFAULTS = PolicySettings.defaults();
  private static final String JTO = "JAVA_TOOL_OPTIONS";
  private static final String GOMAXPROCS = "GOMAXPROCS";
  private static final String GOMEMLIMIT = "GOMEMLIMIT";

  static Stream<Arguments> goUserEnv() {
    return Stream.of(
        Arguments.of("no env at all", null),
        Arguments.of("other env only", List.of(env("A", "1"))),
        Arguments.of("own GOMAXPROCS", List.of(env(GOMAXPROCS, "64"))),
        Arguments.of("own GOMEMLIMIT", List.of(env("A", "1"), env(GOMEMLIMIT, "2GiB"))),
        Arguments.of("both own", List.of(env(GOMEMLIMIT, "1GiB"), env(GOMAXPROCS, "8"))),
        Arguments.of("empty value", List.of(env(GOMAXPROCS, ""))),
        Arguments.of("already right", List.of(env(GOMAXPROCS, "1"))),
        Arguments.of("twice, last wins", List.of(env(GOMAXPROCS, "4"), env(GOMAXPROCS, "64"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goUserEnv")
  void goTuneThenLeaveGivesBackExactlyWhatTheUserWrote(String name, List<EnvVar> env) {
    Deployment user = deployment(go(), newContainer("proxy", env, "500m", "512Mi"));

    Deployment tuned = apply(user, plan(user, DEFAULTS));
    assertThat(value(tuned, "proxy", GOMAXPROCS)).isEqualTo("1");
    assertThat(value(tuned, "proxy", GOMEMLIMIT)).isEqualTo("460MiB");
    assertThat(plan(tuned, DEFAULTS).changes()).as("second plan").isFalse();

    Deployment left = apply(tuned, plan(tuned, null));
    assertThat(container(left, "proxy").getEnv()).isEqualTo(container(user, "proxy").getEnv());
    assertThat(left.getMetadata().getAnnotations())
        .doesNotContainKeys(Annotations.MANAGED_ENV, Annotations.TUNED_BY);
    assertThat(plan(left, null).changes()).isFalse();
  }

  @Test
  void usersSixtyFourIsReplacedAndComesBackOnLeaving() {
    Deployment user =
        deployment(go(), newContainer("proxy", List.of(env(GOMAXPROCS, "64")), "3", null));

    Deployment tuned = apply(user, plan(user, DEFAULTS));
    assertThat(value(tuned, "proxy", GOMAXPROCS)).isEqualTo("3");
    tuned.getMetadata().getAnnotations().remove(Annotations.GO_TUNING);
    Deployment left = apply(tuned, plan(tuned, null));

    assertThat(container(left, "proxy").getEnv()).containsExactly(env(GOMAXPROCS, "64"));
  }

  @Test
  void leaveLimitToRuntimeGivesBackTheUsersGomaxprocsOfALimitedContainer() {
    Deployment user =
        deployment(go(), newContainer("proxy", List.of(env(GOMAXPROCS, "64")), "2", "1Gi"));
    Deployment tuned = apply(user, plan(user, DEFAULTS));
    assertThat(value(tuned, "proxy", GOMAXPROCS)).isEqualTo("2");

    PolicySettings leave = settings(spec -> spec.getGo().setLeaveLimitToRuntime(true));
    Deployment retuned = apply(tuned, plan(tuned, leave));

    assertThat(value(retuned, "proxy", GOMAXPROCS)).isEqualTo("64");
    assertThat(value(retuned, "proxy", GOMEMLIMIT)).isEqualTo("921MiB");
    assertThat(plan(retuned, leave).changes()).isFalse();
  }

  @Test
  void aJavaAppAndAGoSidecarEachGetTheirOwnValuesAndNothingCrossesOver() {
    Map<String, String> annotations = both();
    annotations.put(Annotations.JAVA_CONTAINERS, "app");
    annotations.put(Annotations.GO_CONTAINERS, "proxy");
    Deployment user =
        deployment(
            annotations,
            newContainer("app", List.of(env(JTO, "-Xss512k"), env(GOMAXPROCS, "7")), "2", "1Gi"),
            newContainer("proxy", List.of(env(JTO, "-Dproxy")), "500m", "512Mi"));

    Deployment tuned = apply(user, plan(user, DEFAULTS));

    assertThat(container(tuned, "app").getEnv())
        .containsExactly(env(JTO, "-Xss512k -XX:ActiveProcessorCount=2"), env(GOMAXPROCS, "7"));
    assertThat(container(tuned, "proxy").getEnv())
        .containsExactly(env(JTO, "-Dproxy"), env(GOMAXPROCS, "1"), env(GOMEMLIMIT, "460MiB"));
    assertThat(plan(tuned, DEFAULTS).changes()).isFalse();
    Deployment left = apply(tuned, plan(tuned, null));
    assertThat(container(left, "app")).isEqualTo(container(user, "app"));
    assertThat(container(left, "proxy")).isEqualTo(container(user, "proxy"));
  }

  @Test
  void aContainerThatChangesRuntimeGetsItsOldValuesBackAndTheNewOnesSet() {
    Deployment user =
        deployment(java(), newContainer("app", List.of(env(JTO, "-Xss1m")), "2", "1Gi"));
    Deployment asJava = apply(user, plan(user, DEFAULTS));
    assertThat(value(asJava, "app", JTO)).isEqualTo("-Xss1m -XX:ActiveProcessorCount=2");

    asJava.getMetadata().getAnnotations().remove(Annotations.JAVA_TUNING);
    asJava.getMetadata().getAnnotations().put(Annotations.GO_TUNING, "enabled");
    Deployment asGo = apply(asJava, plan(asJava, DEFAULTS));

    assertThat(container(asGo, "app").getEnv())
        .containsExactly(env(JTO, "-Xss1m"), env(GOMAXPROCS, "2"), env(GOMEMLIMIT, "921MiB"));
    assertThat(plan(asGo, DEFAULTS).changes()).isFalse();
  }

  @Test
  void randomPodsOfBothRuntimesObeyTheLaws() {
    Random random = new Random(13);
    String[] values = {
      "64", "", "1", "2GiB", "460MiB", "-Xss512k", "-XX:ActiveProcessorCount=9", "off"
    };
    String[] variables = {JTO, GOMAXPROCS, GOMEMLIMIT, "OTHER"};
    String[] cpus = {"500m", "3", "1500m", null};
    String[] memories = {"512Mi", "1Gi", null, "1"};
    for (int i = 0; i < 1_000; i++) {
      Map<String, String> annotations = new HashMap<>();
      if (random.nextBoolean()) {
        annotations.put(Annotations.JAVA_TUNING, "enabled");
      }
      if (random.nextBoolean()) {
        annotations.put(Annotations.GO_TUNING, "enabled");
      }
      if (random.nextInt(3) == 0) {
        annotations.put(Annotations.GO_CONTAINERS, random.nextBoolean() ? "b" : "a,b");
      }
      if (random.nextInt(3) == 0) {
        annotations.put(Annotations.JAVA_CONTAINERS, random.nextBoolean() ? "a" : "a,c");
      }
      List<Container> containers = new ArrayList<>();
      for (String name : List.of("a", "b", "c")) {
        List<EnvVar> env = new ArrayList<>();
        for (int j = random.nextInt(4); j > 0; j--) {
          env.add(
              env(
                  variables[random.nextInt(variables.length)],
                  values[random.nextInt(values.length)]));
        }
        containers.add(
            newContainer(
                name,
                env.isEmpty() && random.nextBoolean() ? null : env,
                cpus[random.nextInt(cpus.length)],
                memories[random.nextInt(memories.length)]));
      }
      PolicySettings settings =
          random.nextBoolean()
              ? DEFAULTS
              : settings(
                  spec -> {
                    spec.getGo().setLeaveLimitToRuntime(random.nextBoolean());
                    spec.getGo().setMemoryLimitPercent(random.nextBoolean() ? null : 50);
                    spec.getJava().setMaxRAMPercentage(random.nextBoolean() ? null : 75.0);
                  });
      Deployment user = deployment(annotations, containers.toArray(Container[]::new));
      Deployment tuned = apply(user, plan(user, settings));
      assertThat(plan(tuned, settings).changes()).as("idempotent for %s", user).isFalse();
      Deployment left = apply(tuned, plan(tuned, null));
      assertThat(left.getSpec().getTemplate().getSpec().getContainers())
          .as("given back for %s", user)
          .isEqualTo(user.getSpec().getTemplate().getSpec().getContainers());
    }
  }

  private static Map<String, String> java() {
    return new HashMap<>(Map.of(Annotations.JAVA_TUNING, "enabled"));
  }

  private static Map<String, String> go() {
    return new HashMap<>(Map.of(Annotations.GO_TUNING, "enabled"));
  }

  private static Map<String, String> both() {
    Map<String, String> annotations = go();
    annotations.put(Annotations.JAVA_TUNING, "enabled");
    return annotations;
  }

  private static Deployment deployment(Map<String, String> annotations, Container... containers) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("app")
        .withNamespace("shop")
        .withAnnotations(new HashMap<>(annotations))
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .withContainers(containers)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container newContainer(String name, List<EnvVar> env, String cpu, String memory) {
    ContainerBuilder container =
        new ContainerBuilder().withName(name).withNewResources().endResources();
    if (cpu != null) {
      container.editResources().addToLimits("cpu", new Quantity(cpu)).endResources();
    }
    if (memory != null) {
      container.editResources().addToLimits("memory", new Quantity(memory)).endResources();
    }
    if (env != null) {
      container.withEnv(new ArrayList<>(env));
    }
    return container.build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }

  private static String value(Deployment deployment, String container, String variable) {
    String value = null;
    for (EnvVar env : container(deployment, container).getEnv()) {
      if (env.getName().equals(variable)) {
        value = env.getValue();
      }
    }
    return value;
  }
}
