package io.runtimepolicy.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.CustomEnvSpec;
import io.runtimepolicy.api.v1alpha1.CustomRuntimeSpec;
import io.runtimepolicy.api.v1alpha1.CustomValue;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.policy.RuntimeProfile;
import io.runtimepolicy.operator.policy.RuntimeProfiles;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.WithRealApiServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generated schema, as the real API server enforces it (Keycloak's CRDTest idea). */
@WithRealApiServer
class RuntimePolicyCrdIT {

  static KubernetesClient client;

  @KubeConfigYaml static String kubeConfigYaml;

  @BeforeAll
  static void installCrd() {
    CrdFiles.applyAndAwaitEstablished(client);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("crd").endMetadata().build())
        .create();
  }

  @Test
  void emptySpecIsDefaultedByTheServer() {
    var created = client.resource(policy("defaults", "{}")).create();
    RuntimePolicy read =
        client
            .resources(RuntimePolicy.class)
            .inNamespace("crd")
            .withName(created.getMetadata().getName())
            .get();

    assertThat(read.getSpec().getMode()).isEqualTo(Mode.Enforce);
    assertThat(read.getSpec().getJava().getOptionsEnvVar()).isEqualTo("JAVA_TOOL_OPTIONS");
    assertThat(read.getSpec().getJava().getCpuSource()).isEqualTo(CpuSource.LimitOrRequest);
    assertThat(read.getSpec().getJava().getRounding()).isEqualTo(Rounding.Ceil);
    assertThat(read.getSpec().getJava().getMinProcessors()).isEqualTo(1);
    assertThat(read.getSpec().getJava().getMaxProcessors()).isNull();
    assertThat(read.getSpec().getProbes().getAppReadTimeout()).isEqualTo("5s");
    assertThat(read.getSpec().getGo().getCpuSource()).isEqualTo(CpuSource.LimitOrRequest);
    assertThat(read.getSpec().getGo().getRounding()).isEqualTo(Rounding.Ceil);
    assertThat(read.getSpec().getGo().getMinProcessors()).isEqualTo(1);
    assertThat(read.getSpec().getGo().getMaxProcessors()).isNull();
    assertThat(read.getSpec().getGo().getMemoryLimitPercent()).isEqualTo(90);
    assertThat(read.getSpec().getGo().getLeaveLimitToRuntime()).isFalse();
  }

  @Test
  void aNullMemoryLimitPercentStaysNullSoGomemlimitIsUnmanaged() {
    var created = client.resource(policy("unmanaged", "{go: {memoryLimitPercent: null}}")).create();
    RuntimePolicy read =
        client
            .resources(RuntimePolicy.class)
            .inNamespace("crd")
            .withName(created.getMetadata().getName())
            .get();

    assertThat(read.getSpec().getGo().getMemoryLimitPercent()).isNull();
    assertThat(read.getSpec().getGo().getMinProcessors()).isEqualTo(1);

    // The model writes the null too, so a policy created from Java (the operator's default
    // policy) keeps it rather than being defaulted back to 90.
    RuntimePolicy fromJava = new RuntimePolicy();
    fromJava.getMetadata().setGenerateName("from-java-");
    fromJava.getMetadata().setNamespace("crd");
    fromJava.getSpec().getGo().setMemoryLimitPercent(null);
    RuntimePolicy stored = client.resource(fromJava).create();
    assertThat(stored.getSpec().getGo().getMemoryLimitPercent()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown mode | {mode: Sometimes} | Unsupported value: \"Sometimes\"",
        "zero minProcessors | {java: {minProcessors: 0}} | should be greater than or equal to 1",
        "max below min | {java: {minProcessors: 4, maxProcessors: 2}} | maxProcessors must not be below minProcessors",
        "unknown rounding | {java: {rounding: Round}} | Unsupported value: \"Round\"",
        "bad duration | {probes: {appReadTimeout: five}} | should match",
        "RAM percentage above 100 | {java: {maxRAMPercentage: 150}} | should be less than or equal to 100",
        "RAM percentage 0, sent as an integer | {java: {maxRAMPercentage: 0}} | should be greater than 0",
        "minProcessors above 1024 | {java: {minProcessors: 1025}} | should be less than or equal to 1024",
        "GOMEMLIMIT percentage 0 | {go: {memoryLimitPercent: 0}} | should be greater than or equal to 1",
        "GOMEMLIMIT percentage 101 | {go: {memoryLimitPercent: 101}} | should be less than or equal to 100",
        "GOMEMLIMIT fractional | {go: {memoryLimitPercent: 90.5}} | must be of type integer",
        "go max below min | {go: {minProcessors: 4, maxProcessors: 2}} | maxProcessors must not be below minProcessors",
        "go zero minProcessors | {go: {minProcessors: 0}} | should be greater than or equal to 1",
        "go unknown cpuSource | {go: {cpuSource: Request}} | Unsupported value: \"Request\"",
        "custom with a built-in name | {custom: [{name: java, env: [{name: N, value: Processors}]}]} | java is a built-in runtime: choose another name",
        "custom name not a DNS label | {custom: [{name: Tokio, env: [{name: N, value: Processors}]}]} | should match",
        "custom name too long for its annotations | {custom: [{name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, env: [{name: N, value: Processors}]}]} | may not be more than 52 bytes",
        "custom name twice | {custom: [{name: a, env: [{name: N, value: Processors}]}, {name: a, env: [{name: M, value: Processors}]}]} | Duplicate value",
        "custom without env | {custom: [{name: a}]} | Required value",
        "custom with an empty env | {custom: [{name: a, env: []}]} | should have at least 1 items",
        "custom setting PATH | {custom: [{name: a, env: [{name: PATH, value: Processors}]}]} | PATH is a system or options variable",
        "custom setting LD_PRELOAD | {custom: [{name: a, env: [{name: LD_PRELOAD, value: Processors}]}]} | LD_PRELOAD is a system or options variable",
        "custom setting NODE_OPTIONS | {custom: [{name: a, env: [{name: NODE_OPTIONS, value: MemoryLimitMiB}]}]} | NODE_OPTIONS is a system or options variable",
        "custom variable not a name | {custom: [{name: a, env: [{name: 1X, value: Processors}]}]} | should match",
        "custom variable twice | {custom: [{name: a, env: [{name: N, value: Processors}, {name: N, value: MemoryLimitMiB}]}]} | Duplicate value",
        "custom unknown value | {custom: [{name: a, env: [{name: N, value: Cores}]}]} | Unsupported value: \"Cores\"",
        "custom percent on processors | {custom: [{name: a, env: [{name: N, value: Processors, percent: 50}]}]} | percent is a share of the memory limit",
        "custom percent above 100 | {custom: [{name: a, env: [{name: N, value: MemoryLimitMiB, percent: 101}]}]} | should be less than or equal to 100",
      })
  void invalidSpecsAreRejectedWithAReadableMessage(String name, String spec, String message) {
    assertThatThrownBy(() -> client.resource(policy("invalid", spec)).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(message);
  }

  /**
   * Through kubectl, which turns YAML into JSON with Go's encoder: {@code 0.0} leaves it as the
   * whole number {@code 0}, the form that once slipped under {@code minimum: 0.1}.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "java minProcessors 1025 | {java: {minProcessors: 1025}} | spec.java.minProcessors:"
            + " Invalid value: 1025: spec.java.minProcessors in body should be less than or equal"
            + " to 1024",
        "java minProcessors 1000000 | {java: {minProcessors: 1000000}} | spec.java.minProcessors:"
            + " Invalid value: 1000000: spec.java.minProcessors in body should be less than or"
            + " equal to 1024",
        "java maxProcessors 1025 | {java: {maxProcessors: 1025}} | spec.java.maxProcessors:"
            + " Invalid value: 1025: spec.java.maxProcessors in body should be less than or equal"
            + " to 1024",
        "go minProcessors 1025 | {go: {minProcessors: 1025}} | spec.go.minProcessors: Invalid"
            + " value: 1025: spec.go.minProcessors in body should be less than or equal to 1024",
        "go minProcessors 1000000 | {go: {minProcessors: 1000000}} | spec.go.minProcessors:"
            + " Invalid value: 1000000: spec.go.minProcessors in body should be less than or equal"
            + " to 1024",
        "go maxProcessors 1025 | {go: {maxProcessors: 1025}} | spec.go.maxProcessors: Invalid"
            + " value: 1025: spec.go.maxProcessors in body should be less than or equal to 1024",
        "maxRAMPercentage 0 | {java: {maxRAMPercentage: 0}} | spec.java.maxRAMPercentage:"
            + " Invalid value: 0: spec.java.maxRAMPercentage in body should be greater than 0",
        "maxRAMPercentage 0.0 | {java: {maxRAMPercentage: 0.0}} | spec.java.maxRAMPercentage:"
            + " Invalid value: 0: spec.java.maxRAMPercentage in body should be greater than 0",
        "maxRAMPercentage -1 | {java: {maxRAMPercentage: -1}} | spec.java.maxRAMPercentage:"
            + " Invalid value: -1: spec.java.maxRAMPercentage in body should be greater than 0",
        "maxRAMPercentage 100.5 | {java: {maxRAMPercentage: 100.5}} |"
            + " spec.java.maxRAMPercentage: Invalid value: 100.5: spec.java.maxRAMPercentage in"
            + " body should be less than or equal to 100",
        "memoryLimitPercent 0 | {go: {memoryLimitPercent: 0}} | spec.go.memoryLimitPercent:"
            + " Invalid value: 0: spec.go.memoryLimitPercent in body should be greater than or"
            + " equal to 1",
        "memoryLimitPercent 101 | {go: {memoryLimitPercent: 101}} | spec.go.memoryLimitPercent:"
            + " Invalid value: 101: spec.go.memoryLimitPercent in body should be less than or"
            + " equal to 100",
      })
  void kubectlApplyRefusesEveryOutOfBoundNumber(String name, String spec, String message) {
    String policyName = "out-of-bounds-" + name.replaceAll("[^a-zA-Z0-9]+", "-").toLowerCase();

    Cli.Result applied = apply(named(policyName, spec));

    assertThat(applied.ok()).as("%s", applied).isFalse();
    assertThat(applied.stderr())
        .contains("The RuntimePolicy \"" + policyName + "\" is invalid")
        .contains(message);
    assertThat(client.resources(RuntimePolicy.class).inNamespace("crd").withName(policyName).get())
        .isNull();
  }

  @Test
  void theContractsCustomRuntimeIsStoredAndReadBackAsWritten() {
    String spec =
        "{custom: [{name: tokio, processors: {rounding: Floor}, env: ["
            + "{name: TOKIO_WORKER_THREADS, value: Processors},"
            + " {name: APP_MAX_HEAP_MIB, value: MemoryLimitMiB, percent: 75}]}]}";

    apply(named("tokio", spec)).assertSuccess();

    RuntimePolicy stored =
        client.resources(RuntimePolicy.class).inNamespace("crd").withName("tokio").get();
    CustomRuntimeSpec tokio = stored.getSpec().getCustom().get(0);
    assertThat(tokio.getName()).isEqualTo("tokio");
    assertThat(tokio.getProcessors().getRounding()).isEqualTo(Rounding.Floor);
    assertThat(tokio.getProcessors().getMinProcessors()).as("defaulted").isEqualTo(1);
    assertThat(tokio.getEnv())
        .containsExactly(
            new CustomEnvSpec("TOKIO_WORKER_THREADS", CustomValue.Processors, null),
            new CustomEnvSpec("APP_MAX_HEAP_MIB", CustomValue.MemoryLimitMiB, 75));
  }

  @Test
  void kubectlApplyAcceptsTheBoundsThemselves() {
    String spec =
        "{java: {minProcessors: 1024, maxProcessors: 1024, maxRAMPercentage: 100},"
            + " go: {minProcessors: 1024, maxProcessors: 1024, memoryLimitPercent: 100}}";
    String low =
        "{java: {minProcessors: 1, maxProcessors: 1, maxRAMPercentage: 0.1},"
            + " go: {minProcessors: 1, maxProcessors: 1, memoryLimitPercent: 1}}";

    apply(named("at-the-top", spec)).assertSuccess();
    apply(named("at-the-bottom", low)).assertSuccess();

    RuntimePolicy top =
        client.resources(RuntimePolicy.class).inNamespace("crd").withName("at-the-top").get();
    assertThat(top.getSpec().getJava().getMinProcessors()).isEqualTo(1024);
    assertThat(top.getSpec().getJava().getMaxProcessors()).isEqualTo(1024);
    assertThat(top.getSpec().getJava().getMaxRAMPercentage()).isEqualTo(100.0);
    assertThat(top.getSpec().getGo().getMinProcessors()).isEqualTo(1024);
    assertThat(top.getSpec().getGo().getMaxProcessors()).isEqualTo(1024);
    assertThat(top.getSpec().getGo().getMemoryLimitPercent()).isEqualTo(100);
    RuntimePolicy bottom =
        client.resources(RuntimePolicy.class).inNamespace("crd").withName("at-the-bottom").get();
    assertThat(bottom.getSpec().getJava().getMaxRAMPercentage()).isEqualTo(0.1);
    assertThat(bottom.getSpec().getGo().getMemoryLimitPercent()).isEqualTo(1);
  }

  @Test
  void kubectlExplainDescribesEveryJavaField() {
    String explain =
        Cli.against(kubeConfigYaml)
            .kubectl("explain", "runtimepolicy.spec.java")
            .assertSuccess()
            .stdout()
            .replaceAll("\\s+", " ");

    assertThat(explain)
        .contains(
            "optionsEnvVar",
            "cpuSource",
            "rounding",
            "minProcessors",
            "maxProcessors",
            "maxRAMPercentage")
        .contains("the CPU request is the fallback when there is no limit")
        .contains("The smallest processor count ever set, 1 to 1024.")
        .contains("Optional cap on the processor count, 1 to 1024")
        .contains("above 0 and at most 100");
  }

  /** The CRD follows from the engine's list: every runtime has its section, described. */
  @Test
  void everyRuntimeOfTheEngineHasItsSectionWithTheProcessorFields() {
    for (RuntimeProfile profile : RuntimeProfiles.ALL) {
      String explain =
          Cli.against(kubeConfigYaml)
              .kubectl("explain", "runtimepolicy.spec." + profile.name())
              .assertSuccess()
              .stdout()
              .replaceAll("\\s+", " ");

      assertThat(explain)
          .as(profile.name())
          .contains(profile.description())
          .contains("cpuSource", "rounding", "minProcessors", "maxProcessors");
    }
  }

  @Test
  void kubectlExplainDescribesEveryGoField() {
    String explain =
        Cli.against(kubeConfigYaml)
            .kubectl("explain", "runtimepolicy.spec.go")
            .assertSuccess()
            .stdout()
            .replaceAll("\\s+", " ");

    assertThat(explain)
        .contains(
            "cpuSource",
            "rounding",
            "minProcessors",
            "maxProcessors",
            "memoryLimitPercent",
            "leaveLimitToRuntime")
        .contains("GOMEMLIMIT is not managed")
        .contains("the CPU request is the fallback when there is no limit")
        .contains("The smallest processor count ever set, 1 to 1024.")
        .contains("Optional cap on the processor count, 1 to 1024")
        .contains("percentage (1 to 100)");
  }

  @Test
  void statusIsASubresourceAndShortNameWorks() {
    client.resource(policy("short", "{mode: Audit}")).create();

    String table =
        Cli.against(kubeConfigYaml).kubectl("get", "rtp", "-n", "crd").assertSuccess().stdout();

    assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "MODE", "TARGETS", "TUNED", "VIOLATIONS", "READY", "AGE");
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(CrdFiles.NAME)
                .get()
                .getSpec()
                .getVersions()
                .get(0)
                .getSubresources()
                .getStatus())
        .isNotNull();
  }

  private static Cli.Result apply(String manifest) {
    return Cli.against(kubeConfigYaml).kubectlWithInput(manifest, "apply", "-f", "-");
  }

  private static String named(String name, String spec) {
    return """
        apiVersion: runtimepolicy.io/v1alpha1
        kind: RuntimePolicy
        metadata:
          name: %s
          namespace: crd
        spec: %s
        """
        .formatted(name, spec);
  }

  private static String policy(String generateName, String spec) {
    return """
        apiVersion: runtimepolicy.io/v1alpha1
        kind: RuntimePolicy
        metadata:
          generateName: %s-
          namespace: crd
        spec: %s
        """
        .formatted(generateName, spec);
  }
}
