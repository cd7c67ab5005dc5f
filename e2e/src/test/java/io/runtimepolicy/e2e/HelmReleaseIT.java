package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.WithRealApiServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A release's whole life on a real API server: install, what its ServiceAccount may do, upgrade
 * (keeping the webhook certificate), uninstall (leaving only the CRD). The webhook is registered by
 * a loopback URL so the API server never calls a Service, and nothing waits for the operator pod:
 * kube-api-test has no kubelet.
 */
@WithRealApiServer
class HelmReleaseIT {

  static KubernetesClient client;

  private static final String RELEASE = "lifecycle";
  private static final String NAMESPACE = "rp-lifecycle";
  private static final String NAME = "lifecycle-runtime-policy-operator";
  private static final String SA = "system:serviceaccount:" + NAMESPACE + ":" + NAME;
  private static final String LOOPBACK_WEBHOOK = "webhook.url=https://127.0.0.1:1/mutate-workloads";

  private static Cli cli;

  @BeforeAll
  static void setUp() {
    cli = Cli.against(client);
  }

  @Test
  void installUpgradeUninstall() {
    Cli.Result install = release("install", "--create-namespace");
    assertThat(install.ok()).as("%s", install).isTrue();
    assertThat(install.stdout())
        .contains("kubectl get rtp -A", "runtimepolicy.io/java-tuning=enabled");
    Map<String, String> certificate = webhookSecretData();
    assertThat(certificate).containsKeys("tls.crt", "tls.key", "ca.crt");
    assertServiceAccountMayDoExactlyWhatTheOperatorNeeds(false);

    Cli.Result upgrade =
        release(
            "upgrade",
            "--set=defaultPolicy.mode=Audit",
            "--set=leaderElection.enabled=true",
            "--set=deploymentLabelSelector=runtimepolicy.io/tuned=true");
    assertThat(upgrade.ok()).as("%s", upgrade).isTrue();
    assertThat(operatorEnv())
        .contains(
            new EnvVar(
                "RUNTIMEPOLICY_DEFAULT_POLICY",
                "{\"go\":{\"cpuSource\":\"LimitOrRequest\",\"leaveLimitToRuntime\":false,"
                    + "\"memoryLimitPercent\":90,\"minProcessors\":1,\"rounding\":\"Ceil\"},"
                    + "\"java\":{\"cpuSource\":\"LimitOrRequest\",\"minProcessors\":1,"
                    + "\"optionsEnvVar\":\"JAVA_TOOL_OPTIONS\",\"rounding\":\"Ceil\"},"
                    + "\"mode\":\"Audit\",\"probes\":{\"appReadTimeout\":\"5s\"}}",
                null),
            new EnvVar("RUNTIMEPOLICY_LEADER_ELECTION", "true", null));
    assertThat(webhookSecretData()).as("the upgrade keeps the certificate").isEqualTo(certificate);
    assertServiceAccountMayDoExactlyWhatTheOperatorNeeds(true);

    List<HasMetadata> released =
        Manifests.parse(cli.helm("get", "manifest", RELEASE, "-n", NAMESPACE).stdout());
    assertThat(released).extracting(HasMetadata::getKind).contains("Role", "RoleBinding", "Secret");
    Cli.Result uninstall = cli.helm("uninstall", RELEASE, "-n", NAMESPACE);
    assertThat(uninstall.ok()).as("%s", uninstall).isTrue();
    assertOnlyTheCrdIsLeft(released);
  }

  /** Lists every kind the release had, by its instance label, across all namespaces. */
  private static void assertOnlyTheCrdIsLeft(List<HasMetadata> released) {
    for (HasMetadata object : released) {
      Cli.Result left =
          cli.kubectl(
              "get",
              resourceType(object),
              "-A",
              "-l",
              "app.kubernetes.io/instance=" + RELEASE,
              "-o",
              "name");
      assertThat(left.ok()).as("%s", left).isTrue();
      assertThat(left.stdout()).as("%s left after uninstall", object.getKind()).isEmpty();
    }
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("runtimepolicies.runtimepolicy.io")
                .get())
        .as("Helm never deletes crds/")
        .isNotNull();
  }

  /** helm install or upgrade of the release, always with the loopback webhook URL. */
  private static Cli.Result release(String command, String... flags) {
    List<String> args = new ArrayList<>(List.of(command, RELEASE, ProjectFiles.chart().toString()));
    args.addAll(List.of("-n", NAMESPACE, "--set", LOOPBACK_WEBHOOK));
    args.addAll(List.of(flags));
    return cli.helm(args.toArray(String[]::new));
  }

  private void assertServiceAccountMayDoExactlyWhatTheOperatorNeeds(boolean leaderElection) {
    assertCan(true, "patch", "deployments.apps", "-A");
    assertCan(true, "watch", "deployments.apps", "-A");
    assertCan(false, "delete", "deployments.apps", "-A");
    assertCan(false, "update", "deployments.apps", "-A");
    assertCan(false, "get", "secrets", "-A");
    assertCan(false, "get", "secrets", "-n", NAMESPACE);
    assertCan(true, "create", "runtimepolicies.runtimepolicy.io", "-n", "team-a");
    assertCan(false, "delete", "runtimepolicies.runtimepolicy.io", "-A");
    assertCan(true, "patch", "runtimepolicies.runtimepolicy.io", "--subresource=status", "-A");
    assertCan(true, "create", "events", "-n", "team-a");
    assertCan(false, "create", "events.events.k8s.io", "-n", "team-a");
    assertCan(false, "get", "customresourcedefinitions/runtimepolicies.runtimepolicy.io");
    assertCan(false, "get", "customresourcedefinitions/other.example.com");
    assertCan(leaderElection, "create", "leases.coordination.k8s.io", "-n", NAMESPACE);
    assertCan(leaderElection, "update", "leases.coordination.k8s.io/" + NAME, "-n", NAMESPACE);
    assertCan(false, "delete", "leases.coordination.k8s.io/" + NAME, "-n", NAMESPACE);
    assertCan(false, "create", "leases.coordination.k8s.io", "-n", "default");
  }

  private static void assertCan(boolean expected, String... question) {
    String[] args = new String[question.length + 3];
    args[0] = "auth";
    args[1] = "can-i";
    System.arraycopy(question, 0, args, 2, question.length);
    args[args.length - 1] = "--as=" + SA;
    Cli.Result answer = cli.kubectl(args);

    assertThat(answer.stdout().trim()).as("%s", answer).isEqualTo(expected ? "yes" : "no");
  }

  private static Map<String, String> webhookSecretData() {
    return client.secrets().inNamespace(NAMESPACE).withName(NAME + "-webhook-tls").get().getData();
  }

  private static List<EnvVar> operatorEnv() {
    return client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName(NAME)
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv();
  }

  /**
   * kubectl's plural.group name of an object's kind, e.g.
   * validatingwebhookconfigurations.admissionregistration.k8s.io.
   */
  private static String resourceType(HasMetadata object) {
    String apiVersion = object.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String kind = object.getKind().toLowerCase(java.util.Locale.ROOT);
    return group.isEmpty() ? kind : kind + "." + group;
  }
}
