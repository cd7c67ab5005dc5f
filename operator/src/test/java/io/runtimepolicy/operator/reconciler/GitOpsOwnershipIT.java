package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.RealRuntimes;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.workload.WorkloadKind;
import io.runtimepolicy.operator.workload.WorkloadKinds;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The user's own tools against the operator, with the real kubectl: every kind is tuned in its own
 * create, re-applies client- and server-side change nothing and conflict with nothing, and leaving
 * gives back what the user wrote. "The operator wrote nothing" is its own write counter.
 */
@WithRealApiServer
class GitOpsOwnershipIT extends WithOperator {

  @KubeConfigYaml static String kubeConfigYaml;
  @TempDir static Path dir;
  static Cli kubectl;

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of());
    kubectl = Cli.against(kubeConfigYaml);
  }

  @Test
  void everyKindIsStoredAtGenerationOneAlreadyTunedAndTheOperatorWritesNone() throws Exception {
    String ns = namespace("create");
    double writes = operatorWrites();
    for (WorkloadKind<?> kind : WorkloadKinds.all()) {
      apply(manifest(kind.kind(), "app", ns, "1500m", null, true));
    }

    for (WorkloadKind<?> kind : WorkloadKinds.all()) {
      HasMetadata stored = get(kind, ns, "app");
      assertThat(stored.getMetadata().getGeneration()).as(kind.kind()).isEqualTo(1L);
      assertThat(options(kind, stored)).as(kind.kind()).isEqualTo("-XX:ActiveProcessorCount=2");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(TestPolicies.status(client, ns, "default").getTargets()).isEqualTo(5));
    assertThat(operatorWrites()).isEqualTo(writes);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "default"))
                    .isEqualTo(5));
  }

  @ParameterizedTest(name = "server-side: {0}")
  @ValueSource(booleans = {false, true})
  void reAppliesOfTheUsersManifestChangeNothingAndACpuChangeRollsOutOnce(boolean serverSide)
      throws Exception {
    String ns = namespace(serverSide ? "ssa" : "csa");
    double writes = operatorWrites();
    Path manifest = manifest("Deployment", "api", ns, "1500m", "-Xss512k", true);
    apply(manifest, serverSide);
    HasMetadata created = get(kind("Deployment"), ns, "api");

    for (int i = 0; i < 5; i++) {
      apply(manifest, serverSide);
    }
    HasMetadata reapplied = get(kind("Deployment"), ns, "api");
    assertThat(reapplied.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(reapplied.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
    if (serverSide) {
      Cli.Result diff = kubectl.kubectl("diff", "--server-side", "-f", manifest.toString());
      assertThat(diff.exitCode()).as("%s", diff).isZero();
    }

    apply(manifest("Deployment", "api", ns, "3", "-Xss512k", true), serverSide);
    HasMetadata changed = get(kind("Deployment"), ns, "api");
    assertThat(changed.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(options(kind("Deployment"), changed))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=3");
    assertThat(operatorWrites()).isEqualTo(writes);
  }

  @ParameterizedTest(name = "server-side: {0}")
  @ValueSource(booleans = {false, true})
  void aWorkloadTheWebhookDidNotTuneIsTunedByTheReconcilerAndStillAppliesCleanly(boolean serverSide)
      throws Exception {
    String ns = namespace(serverSide ? "later-ssa" : "later-csa");
    // Admission cannot tune it: the policy it names does not exist yet.
    Path manifest = manifest("Deployment", "old", ns, "2", "-Xss512k", true, "later");
    apply(manifest, serverSide);
    assertThat(options(kind("Deployment"), get(kind("Deployment"), ns, "old")))
        .isEqualTo("-Xss512k");

    TestPolicies.create(client, ns, "later", "{}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(options(kind("Deployment"), get(kind("Deployment"), ns, "old")))
                    .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2"));
    HasMetadata tuned = get(kind("Deployment"), ns, "old");
    assertThat(tuned.getMetadata().getGeneration()).isEqualTo(2L);

    // The operator's write left the env value with the user's field manager: no conflict.
    apply(manifest, serverSide);
    apply(manifest, serverSide);
    if (serverSide) {
      Cli.Result diff = kubectl.kubectl("diff", "--server-side", "-f", manifest.toString());
      assertThat(diff.exitCode()).as("%s", diff).isZero();
    }
    HasMetadata reapplied = get(kind("Deployment"), ns, "old");
    assertThat(reapplied.getMetadata().getResourceVersion())
        .isEqualTo(tuned.getMetadata().getResourceVersion());
    assertThat(reapplied.getMetadata().getManagedFields())
        .noneMatch(
            f ->
                WorkloadWriter.FIELD_MANAGER.equals(f.getManager())
                    && f.getFieldsV1().toString().contains("JAVA_TOOL_OPTIONS"));
  }

  @Test
  void leavingGivesBackTheUsersOwnManagedFlagByAnnotateAndByApply() throws Exception {
    String ns = namespace("leave");
    String own = "-Xss512k -XX:ActiveProcessorCount=16";
    apply(manifest("Deployment", "by-annotate", ns, "1500m", own, true));
    Path byApply = manifest("Deployment", "by-apply", ns, "1500m", own, true);
    apply(byApply);
    for (String name : List.of("by-annotate", "by-apply")) {
      assertThat(options(kind("Deployment"), get(kind("Deployment"), ns, name)))
          .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2");
    }

    kubectl
        .kubectl("annotate", "deploy", "by-annotate", "-n", ns, "runtimepolicy.io/java-tuning-")
        .assertSuccess();
    apply(manifest("Deployment", "by-apply", ns, "1500m", own, false));

    for (String name : List.of("by-annotate", "by-apply")) {
      HasMetadata left = get(kind("Deployment"), ns, name);
      assertThat(options(kind("Deployment"), left)).as(name).isEqualTo(own);
      assertThat(left.getMetadata().getAnnotations())
          .as(name)
          .doesNotContainKeys("runtimepolicy.io/managed-env", "runtimepolicy.io/tuned-by");
    }
  }

  @Test
  void aPolicyChangeRetunesEveryMutableKindExactlyOnce() throws Exception {
    String ns = namespace("retune");
    for (WorkloadKind<?> kind : WorkloadKinds.all()) {
      if (kind.templateMutable()) {
        apply(manifest(kind.kind(), "app", ns, "1500m", null, true));
      }
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.resources(RuntimePolicy.class).inNamespace(ns).withName("default").get(),
            p -> p != null);
    TestPolicies.editSpec(
        client, ns, "default", spec -> spec.getJava().setRounding(Rounding.Floor));

    for (WorkloadKind<?> kind : WorkloadKinds.all()) {
      if (kind.templateMutable()) {
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(options(kind, get(kind, ns, "app")))
                        .as(kind.kind())
                        .isEqualTo("-XX:ActiveProcessorCount=1"));
        assertThat(get(kind, ns, "app").getMetadata().getGeneration()).isEqualTo(2L);
      }
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(RealRuntimes.assertRuntimesSeeTheStatus(client, ns, "default"))
                    .isEqualTo(4));
  }

  @Test
  void aJobAdmissionDidNotTuneIsReportedNeverWritten() throws Exception {
    String ns = namespace("job-later");
    apply(manifest("Job", "once", ns, "2", null, true, "later"));
    double writes = operatorWrites();

    TestPolicies.create(client, ns, "later", "{}");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(TestPolicies.status(client, ns, "later").getResults())
                    .singleElement()
                    .satisfies(
                        r -> {
                          assertThat(r.getKind()).isEqualTo("Job");
                          assertThat(r.getState().name()).isEqualTo("Pending");
                          assertThat(r.getFindings())
                              .anySatisfy(f -> assertThat(f).contains("runs untuned"));
                        }));
    assertThat(options(kind("Job"), get(kind("Job"), ns, "once"))).isNull();
    assertThat(operatorWrites()).isEqualTo(writes);
  }

  @Test
  void auditWritesNoWorkloadAndStillWarns() throws Exception {
    String ns = namespace("audit");
    TestPolicies.create(client, ns, "watch-only", "{mode: Audit}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client.resources(RuntimePolicy.class).inNamespace(ns).withName("watch-only").get()
                    != null);
    double writes = operatorWrites();

    Cli.Result applied =
        kubectl
            .kubectl(
                "apply",
                "-f",
                manifest(
                        "StatefulSet",
                        "db",
                        ns,
                        "2",
                        "-XX:ActiveProcessorCount=16",
                        true,
                        "watch-only")
                    .toString())
            .assertSuccess();

    assertThat(applied.stderr())
        .contains("JAVA_TOOL_OPTIONS has -XX:ActiveProcessorCount=16, the policy computes 2");
    assertThat(options(kind("StatefulSet"), get(kind("StatefulSet"), ns, "db")))
        .isEqualTo("-XX:ActiveProcessorCount=16");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(TestPolicies.status(client, ns, "watch-only").getResults())
                    .singleElement()
                    .satisfies(
                        r -> {
                          assertThat(r.getKind()).isEqualTo("StatefulSet");
                          assertThat(r.getState().name()).isEqualTo("Pending");
                        }));
    assertThat(operatorWrites()).isEqualTo(writes);
  }

  private static WorkloadKind<?> kind(String name) {
    return WorkloadKinds.all().stream()
        .filter(k -> k.kind().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static HasMetadata get(WorkloadKind<?> kind, String ns, String name) {
    return client.resources(kind.type()).inNamespace(ns).withName(name).get();
  }

  private static String options(WorkloadKind<?> kind, HasMetadata workload) {
    Container app = kind.podTemplateOf(workload).getSpec().getContainers().get(0);
    return app.getEnv().stream()
        .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .map(EnvVar::getValue)
        .reduce((a, b) -> b)
        .orElse(null);
  }

  private static void apply(Path manifest) {
    apply(manifest, false);
  }

  private static void apply(Path manifest, boolean serverSide) {
    if (serverSide) {
      kubectl.kubectl("apply", "--server-side", "-f", manifest.toString()).assertSuccess();
    } else {
      kubectl.kubectl("apply", "-f", manifest.toString()).assertSuccess();
    }
  }

  private static Path manifest(
      String kind, String name, String ns, String cpu, String options, boolean governed)
      throws Exception {
    return manifest(kind, name, ns, cpu, options, governed, null);
  }

  /** A workload as a user writes it; {@code options}: the user's JAVA_TOOL_OPTIONS, or none. */
  private static Path manifest(
      String kind,
      String name,
      String ns,
      String cpu,
      String options,
      boolean governed,
      String policy)
      throws Exception {
    StringBuilder annotations = new StringBuilder();
    if (governed) {
      annotations.append("\n    runtimepolicy.io/java-tuning: \"enabled\"");
    }
    if (policy != null) {
      annotations.append("\n    runtimepolicy.io/policy: ").append(policy);
    }
    String env =
        options == null
            ? ""
            : "\n        env:\n        - {name: JAVA_TOOL_OPTIONS, value: \"%s\"}"
                .formatted(options);
    String pod =
        """
        metadata:
          labels: {app: %s}
        spec:
          restartPolicy: %s
          containers:
          - name: app
            image: registry.example/app:1
            resources:
              limits: {cpu: "%s"}%s"""
            .formatted(
                name,
                kind.contains("Job") ? "Never" : "Always",
                cpu,
                env.replace("\n        ", "\n    "));
    String spec =
        switch (kind) {
          case "Deployment", "DaemonSet", "StatefulSet" ->
              "selector: {matchLabels: {app: %s}}\n%stemplate:\n%s"
                  .formatted(
                      name,
                      kind.equals("StatefulSet") ? "serviceName: " + name + "\n" : "",
                      indent(pod, 2));
          case "Job" -> "template:\n" + indent(pod, 2);
          case "CronJob" ->
              "schedule: \"0 3 * * *\"\njobTemplate:\n  spec:\n    template:\n" + indent(pod, 6);
          default -> throw new IllegalArgumentException(kind);
        };
    String apiVersion = kind.contains("Job") ? "batch/v1" : "apps/v1";
    String yaml =
        "apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n  namespace: %s\n  annotations: {}%s\nspec:\n%s\n"
            .formatted(apiVersion, kind, name, ns, annotations, indent(spec, 2));
    if (annotations.length() > 0) {
      yaml = yaml.replace("  annotations: {}", "  annotations:");
    }
    Path file = dir.resolve(ns + "-" + kind + "-" + name + "-" + System.nanoTime() + ".yaml");
    return Files.writeString(file, yaml);
  }

  private static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return pad + text.replace("\n", "\n" + pad);
  }
}
