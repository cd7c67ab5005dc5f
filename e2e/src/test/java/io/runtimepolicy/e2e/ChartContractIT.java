package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.runtimepolicy.api.v1alpha1.CpuSource;
import io.runtimepolicy.api.v1alpha1.Mode;
import io.runtimepolicy.api.v1alpha1.Rounding;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import io.runtimepolicy.operator.config.OperatorConfig;
import io.runtimepolicy.testing.Cli;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the rendered Deployment and ClusterRole promise the operator process and the cluster. */
class ChartContractIT {

  private static Cli cli;

  @BeforeAll
  static void setUp() {
    cli = Cli.withoutCluster();
  }

  @Test
  void deploymentSetsExactlyTheOperatorsEnvironmentContract() {
    Rendered chart = Rendered.chart(cli);
    Map<String, String> env = chart.env();

    assertThat(env.keySet())
        .containsExactlyInAnyOrder(
            "RUNTIMEPOLICY_OPERATOR_NAMESPACE",
            "RUNTIMEPOLICY_WATCH_NAMESPACES",
            "RUNTIMEPOLICY_DEPLOYMENT_LABEL_SELECTOR",
            "RUNTIMEPOLICY_DEFAULT_POLICY",
            "RUNTIMEPOLICY_LEADER_ELECTION",
            "RUNTIMEPOLICY_LEASE_NAME",
            "RUNTIMEPOLICY_LEASE_NAMESPACE",
            "RUNTIMEPOLICY_HEALTH_PORT",
            "RUNTIMEPOLICY_WEBHOOK_ENABLED",
            "RUNTIMEPOLICY_WEBHOOK_PORT",
            "RUNTIMEPOLICY_WEBHOOK_CERT_FILE",
            "RUNTIMEPOLICY_WEBHOOK_KEY_FILE",
            "RUNTIMEPOLICY_RESULTS_LIMIT",
            "RUNTIMEPOLICY_RESYNC_PERIOD",
            "RUNTIMEPOLICY_INJECT_ENABLED",
            "RUNTIMEPOLICY_UNTUNED_POD_SCAN_INTERVAL",
            "RUNTIMEPOLICY_STALE_POD_SCAN_INTERVAL",
            "JAVA_TOOL_OPTIONS",
            "RUNTIMEPOLICY_REPORTS_ENABLED",
            "RUNTIMEPOLICY_REPORTS_CHECK_INTERVAL");
    assertThat(chart.operator().getEnv())
        .filteredOn(e -> e.getValueFrom() != null)
        .extracting(e -> e.getName() + "=" + e.getValueFrom().getFieldRef().getFieldPath())
        .containsExactlyInAnyOrder(
            "RUNTIMEPOLICY_OPERATOR_NAMESPACE=metadata.namespace",
            "RUNTIMEPOLICY_LEASE_NAMESPACE=metadata.namespace");
    assertThat(env)
        .containsEntry("RUNTIMEPOLICY_WEBHOOK_CERT_FILE", "/etc/runtime-policy/tls/tls.crt")
        .containsEntry("RUNTIMEPOLICY_WEBHOOK_KEY_FILE", "/etc/runtime-policy/tls/tls.key")
        .containsEntry("RUNTIMEPOLICY_INJECT_ENABLED", "false")
        .containsEntry("RUNTIMEPOLICY_REPORTS_ENABLED", "true")
        .containsEntry("RUNTIMEPOLICY_REPORTS_CHECK_INTERVAL", "1m");
    // The chart's default policy is exactly what the operator takes when it is given none.
    assertThat(defaultPolicy(env))
        .isEqualTo(OperatorConfig.fromEnv(Map.of()).defaultPolicy())
        .isEqualTo(new RuntimePolicySpec());
  }

  private static RuntimePolicySpec defaultPolicy(Map<String, String> env) {
    return OperatorConfig.fromEnv(
            Map.of("RUNTIMEPOLICY_DEFAULT_POLICY", env.get("RUNTIMEPOLICY_DEFAULT_POLICY")))
        .defaultPolicy();
  }

  @Test
  void valuesReachTheOperatorEnvironment() {
    String values = ProjectFiles.testResource("chart-values/non-default.yaml").toString();
    Map<String, String> env = Rendered.chart(cli, "-f", values).env();

    RuntimePolicySpec policy = defaultPolicy(env);
    assertThat(policy.getMode()).isEqualTo(Mode.Audit);
    assertThat(policy.getJava().getCpuSource()).isEqualTo(CpuSource.Limit);
    assertThat(policy.getJava().getRounding()).isEqualTo(Rounding.Floor);
    assertThat(policy.getJava().getMinProcessors()).isEqualTo(2);
    assertThat(policy.getJava().getMaxProcessors()).isEqualTo(8);
    assertThat(policy.getJava().getMaxRAMPercentage()).isEqualTo(62.5);
    assertThat(policy.getGo().getMemoryLimitPercent()).as("null: not managed").isNull();
    assertThat(policy.getProbes().getAppReadTimeout()).isEqualTo("1500ms");
    assertThat(env)
        .containsEntry("RUNTIMEPOLICY_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("RUNTIMEPOLICY_DEPLOYMENT_LABEL_SELECTOR", "runtimepolicy.io/tuned=true")
        .containsEntry("RUNTIMEPOLICY_LEADER_ELECTION", "true");
  }

  @Test
  void operatorDeploymentPassesItsOwnRulesAndIsLockedDown() {
    Rendered chart = Rendered.chart(cli);
    Deployment deployment = chart.only(Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = chart.operator();

    assertThat(deployment.getMetadata().getAnnotations())
        .containsEntry("runtimepolicy.io/java-tuning", "enabled")
        .containsEntry("runtimepolicy.io/app-read-timeout", "2s");
    assertThat(
            List.of(
                operator.getLivenessProbe(),
                operator.getReadinessProbe(),
                operator.getStartupProbe()))
        .allSatisfy(p -> assertThat(p.getTimeoutSeconds()).isEqualTo(1));
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var security = operator.getSecurityContext();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getVolumeMounts())
        .extracting(m -> m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? " ro" : " rw"))
        .containsExactlyInAnyOrder("/tmp rw", "/etc/runtime-policy/tls ro");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getEmptyDir() != null)
        .extracting("name")
        .containsExactly("tmp");
  }

  @Test
  void clusterRoleGrantsExactlyTheVerbsTheOperatorUses() {
    List<String> rules =
        Rendered.chart(cli).only(ClusterRole.class).getRules().stream()
            .map(ChartContractIT::rule)
            .toList();

    assertThat(rules)
        .containsExactlyInAnyOrder(
            "apps deployments,statefulsets,daemonsets [] list,watch,patch",
            "batch cronjobs [] list,watch,patch",
            "batch jobs [] list,watch",
            " pods [] list",
            "runtimepolicy.io runtimepolicies [] list,watch,create",
            "runtimepolicy.io runtimepolicies/status [] patch",
            "openreports.io reports [] get,create,patch",
            " events [] create");
  }

  private static String rule(PolicyRule r) {
    return String.join(
        " ",
        String.join(",", r.getApiGroups()),
        String.join(",", r.getResources()),
        r.getResourceNames().toString(),
        String.join(",", r.getVerbs()));
  }
}
