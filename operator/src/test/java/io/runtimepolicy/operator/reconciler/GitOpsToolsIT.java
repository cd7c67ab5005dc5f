package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.KubeConfigYaml;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claims of docs/gitops.md, each with the tool's own code where it can be built here: Helm (the
 * pinned helm binary) installing and upgrading a user's chart; Argo CD's diff, legacy and
 * server-side (its gitops-engine, built by {@link ArgoDiff}), on what the API server stores, and
 * with the ignoreDifferences the docs give (Argo CD's own normalizers, {@link ArgoIgnore}); and
 * Flux's apply (its {@code fluxcd/pkg/ssa}, built by {@link FluxApply}), as kustomize-controller
 * runs it on every interval.
 */
@WithRealApiServer
class GitOpsToolsIT extends WithOperator {

  @KubeConfigYaml static String kubeConfigYaml;
  @TempDir static Path dir;
  static Cli cli;

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of());
    cli = Cli.against(kubeConfigYaml);
  }

  @Test
  void helmUpgradesOfAnUnchangedChartChangeNothingAndACpuChangeRollsOutOnce() throws Exception {
    String ns = namespace("helm-app");
    Path chart = userChart();
    double writes = operatorWrites();

    cli.helm("install", "app", chart.toString(), "-n", ns, "--set", "cpu=2").assertSuccess();
    Deployment installed = deployment(ns);
    assertThat(installed.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(TestDeployments.env(installed, "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2");

    for (int i = 0; i < 3; i++) {
      cli.helm("upgrade", "app", chart.toString(), "-n", ns, "--set", "cpu=2").assertSuccess();
    }
    Deployment upgraded = deployment(ns);
    assertThat(upgraded.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(upgraded.getMetadata().getResourceVersion())
        .isEqualTo(installed.getMetadata().getResourceVersion());

    cli.helm("upgrade", "app", chart.toString(), "-n", ns, "--set", "cpu=3").assertSuccess();
    Deployment changed = deployment(ns);
    assertThat(changed.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(TestDeployments.env(changed, "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=3");
    assertThat(operatorWrites()).isEqualTo(writes);
  }

  @Test
  void argoLegacyDiffSeesTheOptionsVariableYouSetAndNothingTheWebhookAdds() throws Exception {
    String ns = namespace("argo-legacy");
    Path withOptions = manifest(ns, "with-options", "java-tuning", "JAVA_TOOL_OPTIONS", "-Xss512k");
    Path javaWithout = manifest(ns, "java-plain", "java-tuning", null, null);
    Path goWithout = manifest(ns, "go-plain", "go-tuning", null, null);
    for (Path m : new Path[] {withOptions, javaWithout, goWithout}) {
      // Argo CD's default sync is a client-side apply, which leaves last-applied-configuration.
      cli.kubectl("apply", "-f", m.toString()).assertSuccess();
    }

    ArgoDiff.Result options = ArgoDiff.diff(withOptions, live(ns, "with-options"));
    assertThat(options.modified()).as("%s", options).isTrue();
    assertThat(options.output()).contains("-Xss512k -XX:ActiveProcessorCount=2");
    ArgoDiff.Result java = ArgoDiff.diff(javaWithout, live(ns, "java-plain"));
    assertThat(java.modified()).as("%s", java).isFalse();
    ArgoDiff.Result go = ArgoDiff.diff(goWithout, live(ns, "go-plain"));
    assertThat(go.modified()).as("%s", go).isFalse();
  }

  @Test
  void argoLegacyDiffWithTheDocumentedIgnoreDifferencesIsInSyncAndStillSeesACpuChange()
      throws Exception {
    String ns = namespace("argo-ignore");
    Path java = manifest(ns, "java", "java-tuning", "JAVA_TOOL_OPTIONS", "-Xss512k");
    Path node = manifest(ns, "node", "node-tuning", "NODE_OPTIONS", "--enable-source-maps");
    for (Path m : new Path[] {java, node}) {
      cli.kubectl("apply", "-f", m.toString()).assertSuccess();
    }
    assertThat(TestDeployments.env(deployment(ns, "node"), "NODE_OPTIONS"))
        .startsWith("--enable-source-maps --max-old-space-size=");
    Path documented = ArgoIgnore.documentedRules(dir);
    Path none = ArgoIgnore.rules(dir, "[]");

    for (String name : new String[] {"java", "node"}) {
      Path desired = name.equals("java") ? java : node;
      ArgoDiff.Result without = ArgoIgnore.diff(none, desired, live(ns, name));
      assertThat(without.modified()).as("%s without ignoreDifferences: %s", name, without).isTrue();
      ArgoDiff.Result ignored = ArgoIgnore.diff(documented, desired, live(ns, name));
      assertThat(ignored.modified()).as("%s: %s", name, ignored).isFalse();
    }
    Path moreCpu = manifest(ns, "java", "java-tuning", "JAVA_TOOL_OPTIONS", "-Xss512k", "3");
    ArgoDiff.Result changed = ArgoIgnore.diff(documented, moreCpu, live(ns, "java"));
    assertThat(changed.modified()).as("%s", changed).isTrue();
  }

  @Test
  void argoServerSideDiffShowsTunedWorkloadsInSyncAndACpuChangeOutOfSync() throws Exception {
    String ns = namespace("argo-ssd");
    Path csa = manifest(ns, "java-csa", "java-tuning", "JAVA_TOOL_OPTIONS", "-Xss512k");
    Path ssa = manifest(ns, "java-ssa", "java-tuning", "JAVA_TOOL_OPTIONS", "-Xss512k");
    Path go = manifest(ns, "go-plain", "go-tuning", null, null);
    // Argo CD syncs as argocd-controller: client-side by default, server-side with
    // ServerSideApply=true.
    for (Path m : new Path[] {csa, go}) {
      cli.kubectl("apply", "--field-manager=argocd-controller", "-f", m.toString()).assertSuccess();
    }
    cli.kubectl("apply", "--server-side", "--field-manager=argocd-controller", "-f", ssa.toString())
        .assertSuccess();
    Map<String, String> versions = resourceVersions(ns, "java-csa", "java-ssa", "go-plain");
    double writes = operatorWrites();

    for (var entry : Map.of("java-csa", csa, "java-ssa", ssa, "go-plain", go).entrySet()) {
      ArgoDiff.Result synced =
          ArgoDiff.serverSide(kubeconfig(), entry.getValue(), live(ns, entry.getKey()));
      assertThat(synced.modified()).as("%s: %s", entry.getKey(), synced).isFalse();
    }
    assertThat(
            TestDeployments.env(
                client.apps().deployments().inNamespace(ns).withName("java-csa").get(),
                "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2");

    Path moreCpu = manifest(ns, "java-csa", "java-tuning", "JAVA_TOOL_OPTIONS", "-Xss512k", "3");
    ArgoDiff.Result changed = ArgoDiff.serverSide(kubeconfig(), moreCpu, live(ns, "java-csa"));
    assertThat(changed.modified()).as("%s", changed).isTrue();
    assertThat(changed.output()).contains("-Xss512k -XX:ActiveProcessorCount=3");
    // Dry runs all: nothing stored changed, and the operator wrote nothing.
    assertThat(resourceVersions(ns, "java-csa", "java-ssa", "go-plain")).isEqualTo(versions);
    assertThat(operatorWrites()).isEqualTo(writes);
  }

  @Test
  void fluxReappliesAnUnchangedTunedWorkloadAsUnchangedAndACpuChangeOnce() throws Exception {
    String ns = namespace("flux-ssa");
    Path java = manifest(ns, "java", "java-tuning", "JAVA_TOOL_OPTIONS", "-Xss512k");
    Path go = manifest(ns, "go", "go-tuning", null, null);
    String javaId = "Deployment/" + ns + "/java";
    String goId = "Deployment/" + ns + "/go";
    double writes = operatorWrites();

    assertThat(FluxApply.apply(kubeconfig(), java)).containsExactly(Map.entry(javaId, "created"));
    assertThat(FluxApply.apply(kubeconfig(), go)).containsExactly(Map.entry(goId, "created"));
    Deployment created = client.apps().deployments().inNamespace(ns).withName("java").get();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(TestDeployments.env(created, "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2");
    assertThat(
            TestDeployments.env(
                client.apps().deployments().inNamespace(ns).withName("go").get(), "GOMAXPROCS"))
        .isEqualTo("2");
    Map<String, String> versions = resourceVersions(ns, "java", "go");

    for (int i = 0; i < 3; i++) {
      assertThat(FluxApply.apply(kubeconfig(), java))
          .containsExactly(Map.entry(javaId, "unchanged"));
      assertThat(FluxApply.apply(kubeconfig(), go)).containsExactly(Map.entry(goId, "unchanged"));
    }
    assertThat(resourceVersions(ns, "java", "go")).isEqualTo(versions);

    Path moreCpu = manifest(ns, "java", "java-tuning", "JAVA_TOOL_OPTIONS", "-Xss512k", "3");
    assertThat(FluxApply.apply(kubeconfig(), moreCpu))
        .containsExactly(Map.entry(javaId, "configured"));
    assertThat(FluxApply.apply(kubeconfig(), moreCpu))
        .containsExactly(Map.entry(javaId, "unchanged"));
    Deployment changed = client.apps().deployments().inNamespace(ns).withName("java").get();
    assertThat(changed.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(TestDeployments.env(changed, "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Xss512k -XX:ActiveProcessorCount=3");
    assertThat(operatorWrites()).isEqualTo(writes);
  }

  private static Path kubeconfig() throws Exception {
    Path file = dir.resolve("kubeconfig.yaml");
    if (!Files.exists(file)) {
      Files.writeString(file, kubeConfigYaml);
    }
    return file;
  }

  private static Map<String, String> resourceVersions(String ns, String... names) {
    Map<String, String> versions = new TreeMap<>();
    for (String name : names) {
      versions.put(
          name,
          client
              .apps()
              .deployments()
              .inNamespace(ns)
              .withName(name)
              .get()
              .getMetadata()
              .getResourceVersion());
    }
    return versions;
  }

  private static Deployment deployment(String ns) {
    return deployment(ns, "app");
  }

  private static Deployment deployment(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private static Path live(String ns, String name) throws Exception {
    Cli.Result get = cli.kubectl("get", "deployment", name, "-n", ns, "-o", "json").assertSuccess();
    return Files.writeString(dir.resolve(ns + "-" + name + "-live.json"), get.stdout());
  }

  /** A user's chart: one governed Deployment that sets its own JAVA_TOOL_OPTIONS. */
  private static Path userChart() throws Exception {
    Path chart = Files.createDirectories(dir.resolve("app-chart/templates"));
    Files.writeString(
        chart.getParent().resolve("Chart.yaml"), "apiVersion: v2\nname: app\nversion: 1.0.0\n");
    Files.writeString(
        chart.resolve("deployment.yaml"),
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
          annotations:
            runtimepolicy.io/java-tuning: "enabled"
        spec:
          selector: {matchLabels: {app: app}}
          template:
            metadata: {labels: {app: app}}
            spec:
              containers:
                - name: app
                  image: registry.example/app:1
                  resources: {limits: {cpu: "{{ .Values.cpu }}"}}
                  env:
                    - name: JAVA_TOOL_OPTIONS
                      value: "-Xss512k"
        """);
    return chart.getParent();
  }

  /** A Deployment as JSON, as Argo CD holds the desired state; {@code env} may be null. */
  private static Path manifest(String ns, String name, String optIn, String env, String value)
      throws Exception {
    return manifest(ns, name, optIn, env, value, "2");
  }

  /** The same with a CPU limit of {@code cpu}, in a file of its own. */
  private static Path manifest(
      String ns, String name, String optIn, String env, String value, String cpu) throws Exception {
    String envJson =
        env == null ? "" : ",\"env\":[{\"name\":\"%s\",\"value\":\"%s\"}]".formatted(env, value);
    String json =
        """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"%1$s","namespace":"%2$s",
                     "annotations":{"runtimepolicy.io/%3$s":"enabled"}},
         "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
                 "template":{"metadata":{"labels":{"app":"%1$s"}},
                             "spec":{"containers":[{"name":"app","image":"registry.example/app:1",
                                     "resources":{"limits":{"cpu":"%5$s","memory":"512Mi"}}%4$s}]}}}}
        """
            .formatted(name, ns, optIn, envJson, cpu);
    return Files.writeString(dir.resolve(ns + "-" + name + "-cpu" + cpu + ".json"), json);
  }
}
