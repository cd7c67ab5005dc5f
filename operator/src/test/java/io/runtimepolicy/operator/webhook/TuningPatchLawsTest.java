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
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.runtimepolicy.api.v1alpha1.Rounding;
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
 * The plan as the API server applies it: every patch is applied by a real RFC 6902 implementation
 * to the object as JSON, and the laws hold on the result: the values land, a second plan changes
 * nothing, and leaving gives back exactly what the user wrote.
 */
class TuningPatchLawsTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final PolicySettings DEFAULTS = PolicySettings.defaults();
  private static final String OPTIONS = "JAVA_TOOL_OPTIONS";

  static Stream<Arguments> userEnv() {
    return Stream.of(
        Arguments.of("no env at all", null),
        Arguments.of("other env only", List.of(env("A", "1"))),
        Arguments.of("own options", List.of(env(OPTIONS, "-Xss512k"))),
        Arguments.of(
            "own managed flag", List.of(env(OPTIONS, "-Xss512k -XX:ActiveProcessorCount=16"))),
        Arguments.of("empty options", List.of(env("B", "2"), env(OPTIONS, ""))),
        Arguments.of(
            "twice, last wins",
            List.of(env(OPTIONS, "-Xmx1g"), env("C", "3"), env(OPTIONS, "-X"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("userEnv")
  void tuneThenLeaveGivesBackExactlyWhatTheUserWrote(String name, List<EnvVar> env) {
    Deployment user = deployment(env, "1500m");

    Deployment tuned = apply(user, plan(user, DEFAULTS));
    assertThat(literal(tuned, "app")).contains("-XX:ActiveProcessorCount=2");
    assertThat(plan(tuned, DEFAULTS).changes()).as("second plan").isFalse();

    Deployment left = apply(tuned, plan(tuned, null));
    assertThat(container(left, "app").getEnv()).isEqualTo(container(user, "app").getEnv());
    assertThat(container(left, "sidecar")).isEqualTo(container(user, "sidecar"));
    assertThat(left.getMetadata().getAnnotations())
        .doesNotContainKeys(Annotations.MANAGED_ENV, Annotations.TUNED_BY);
    assertThat(plan(left, null).changes()).isFalse();
  }

  @Test
  void aPolicyChangeRetunesFromTheUsersValueNotFromTheLastTuning() {
    Deployment user =
        deployment(List.of(env(OPTIONS, "-Xss512k -XX:ActiveProcessorCount=16")), "1500m");
    PolicySettings withRam = settings(spec -> spec.getJava().setMaxRAMPercentage(75.0));
    Deployment tuned = apply(user, plan(user, withRam));
    assertThat(literal(tuned, "app"))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2 -XX:MaxRAMPercentage=75.0");

    PolicySettings floor = settings(spec -> spec.getJava().setRounding(Rounding.Floor));
    Deployment retuned = apply(tuned, plan(tuned, floor));

    assertThat(literal(retuned, "app")).isEqualTo("-Xss512k -XX:ActiveProcessorCount=1");
    Deployment left = apply(retuned, plan(retuned, null));
    assertThat(literal(left, "app")).isEqualTo("-Xss512k -XX:ActiveProcessorCount=16");
  }

  @Test
  void aValueTheUserChangedSinceIsTheirsAndStays() {
    Deployment tuned = apply(deployment(null, "2"), plan(deployment(null, "2"), DEFAULTS));
    setLiteral(tuned, "app", "-Xss1m");

    Deployment retuned = apply(tuned, plan(tuned, DEFAULTS));
    assertThat(literal(retuned, "app")).isEqualTo("-Xss1m -XX:ActiveProcessorCount=2");
    Deployment left = apply(retuned, plan(retuned, null));
    assertThat(literal(left, "app")).isEqualTo("-Xss1m");
  }

  @Test
  void aCompliantWorkloadHasNoPlan() {
    Deployment compliant = deployment(List.of(env(OPTIONS, "-XX:ActiveProcessorCount=2")), "2");

    assertThat(plan(compliant, DEFAULTS).changes()).isFalse();
  }

  @Test
  void aCronJobsTemplateIsPatchedWhereItLives() {
    CronJob cronJob =
        new CronJobBuilder()
            .withNewMetadata()
            .withName("nightly")
            .withAnnotations(Map.of(Annotations.JAVA_TUNING, "enabled"))
            .endMetadata()
            .withNewSpec()
            .withSchedule("0 3 * * *")
            .withNewJobTemplate()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .withContainers(app(null, "3"))
            .endSpec()
            .endTemplate()
            .endSpec()
            .endJobTemplate()
            .endSpec()
            .build();

    CronJob tuned = apply(cronJob, plan(cronJob, DEFAULTS));

    var containers = tuned.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(containers.getContainers().get(0).getEnv())
        .containsExactly(env(OPTIONS, "-XX:ActiveProcessorCount=3"));
  }

  @Test
  void randomOptionsObeyTheLaws() {
    Random random = new Random(42);
    String[] parts = {
      "-Xss512k",
      "-XX:ActiveProcessorCount=16",
      "'-Dx=a b'",
      "\"-Dq\"",
      "-XX:MaxRAMPercentage=50",
      "  ",
      "\t",
      "-XX:ActiveProcessorCount",
      "-Xmx1g"
    };
    for (int i = 0; i < 500; i++) {
      StringBuilder options = new StringBuilder();
      for (int j = random.nextInt(5); j > 0; j--) {
        options.append(parts[random.nextInt(parts.length)]).append(random.nextBoolean() ? " " : "");
      }
      List<EnvVar> env = random.nextBoolean() ? null : List.of(env(OPTIONS, options.toString()));
      Deployment user = deployment(env, random.nextBoolean() ? "500m" : "3");
      Deployment tuned = apply(user, plan(user, DEFAULTS));
      assertThat(plan(tuned, DEFAULTS).changes()).as("idempotent for %s", env).isFalse();
      Deployment left = apply(tuned, plan(tuned, null));
      assertThat(container(left, "app").getEnv())
          .as("given back for %s", env)
          .isEqualTo(container(user, "app").getEnv());
    }
  }

  private static Deployment deployment(List<EnvVar> env, String cpu) {
    Map<String, String> annotations = new HashMap<>(Map.of(Annotations.JAVA_TUNING, "enabled"));
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("app")
        .withNamespace("shop")
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .withContainers(
            app(env, cpu),
            new ContainerBuilder().withName("sidecar").withEnv(env(OPTIONS, "-Dsidecar")).build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container app(List<EnvVar> env, String cpu) {
    ContainerBuilder app =
        new ContainerBuilder()
            .withName("app")
            .withNewResources()
            .addToLimits("cpu", new Quantity(cpu))
            .addToLimits("memory", new Quantity("512Mi"))
            .endResources();
    if (env != null) {
      app.withEnv(new ArrayList<>(env));
    }
    return app.build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }

  private static String literal(Deployment deployment, String container) {
    String value = null;
    for (EnvVar env : container(deployment, container).getEnv()) {
      if (env.getName().equals(OPTIONS)) {
        value = env.getValue();
      }
    }
    return value;
  }

  private static void setLiteral(Deployment deployment, String container, String value) {
    container(deployment, container).getEnv().stream()
        .filter(e -> e.getName().equals(OPTIONS))
        .reduce((a, b) -> b)
        .orElseThrow()
        .setValue(value);
  }
}
