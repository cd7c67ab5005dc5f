package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the rendered chart promises the operator and the cluster, read object by object. */
class ChartContractIT {

  private static final String NS = "runtime-policy";
  private static Cli cli;

  @BeforeAll
  static void setUp() {
    cli = Cli.withoutCluster("chart-contract-it");
  }

  @Test
  void deploymentSetsExactlyTheOperatorsEnvironmentContract() {
    Map<String, EnvVar> env = env(render());

    assertThat(env.keySet()).containsExactlyInAnyOrder(
        "RUNTIMEPOLICY_OPERATOR_NAMESPACE", "RUNTIMEPOLICY_WATCH_NAMESPACES",
        "RUNTIMEPOLICY_DEPLOYMENT_LABEL_SELECTOR", "RUNTIMEPOLICY_DEFAULT_MODE",
        "RUNTIMEPOLICY_DEFAULT_CPU_SOURCE", "RUNTIMEPOLICY_DEFAULT_ROUNDING",
        "RUNTIMEPOLICY_DEFAULT_MIN_PROCESSORS", "RUNTIMEPOLICY_DEFAULT_MAX_PROCESSORS",
        "RUNTIMEPOLICY_DEFAULT_MAX_RAM_PERCENTAGE", "RUNTIMEPOLICY_DEFAULT_OPTIONS_ENV_VAR",
        "RUNTIMEPOLICY_DEFAULT_APP_READ_TIMEOUT", "RUNTIMEPOLICY_LEADER_ELECTION",
        "RUNTIMEPOLICY_LEASE_NAME", "RUNTIMEPOLICY_LEASE_NAMESPACE", "RUNTIMEPOLICY_HEALTH_PORT",
        "RUNTIMEPOLICY_WEBHOOK_ENABLED", "RUNTIMEPOLICY_WEBHOOK_PORT",
        "RUNTIMEPOLICY_WEBHOOK_CERT_FILE", "RUNTIMEPOLICY_WEBHOOK_KEY_FILE",
        "RUNTIMEPOLICY_RESULTS_LIMIT", "RUNTIMEPOLICY_RESYNC_PERIOD", "JAVA_TOOL_OPTIONS");
    assertThat(env.get("RUNTIMEPOLICY_OPERATOR_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env.get("RUNTIMEPOLICY_WEBHOOK_CERT_FILE").getValue()).isEqualTo("/etc/runtime-policy/tls/tls.crt");
    assertThat(env.get("RUNTIMEPOLICY_WEBHOOK_KEY_FILE").getValue()).isEqualTo("/etc/runtime-policy/tls/tls.key");
    assertThat(value(env, "RUNTIMEPOLICY_DEFAULT_MAX_PROCESSORS")).isEmpty();
  }

  @Test
  void valuesReachTheOperatorEnvironment() {
    Map<String, EnvVar> env = env(render("-f", ProjectFiles.testResource("chart-values/non-default.yaml").toString()));

    assertThat(value(env, "RUNTIMEPOLICY_DEFAULT_MODE")).isEqualTo("Audit");
    assertThat(value(env, "RUNTIMEPOLICY_DEFAULT_CPU_SOURCE")).isEqualTo("Limit");
    assertThat(value(env, "RUNTIMEPOLICY_DEFAULT_ROUNDING")).isEqualTo("Floor");
    assertThat(value(env, "RUNTIMEPOLICY_DEFAULT_MIN_PROCESSORS")).isEqualTo("2");
    assertThat(value(env, "RUNTIMEPOLICY_DEFAULT_MAX_PROCESSORS")).isEqualTo("8");
    assertThat(value(env, "RUNTIMEPOLICY_DEFAULT_MAX_RAM_PERCENTAGE")).isEqualTo("62.5");
    assertThat(value(env, "RUNTIMEPOLICY_DEFAULT_APP_READ_TIMEOUT")).isEqualTo("1500ms");
    assertThat(value(env, "RUNTIMEPOLICY_WATCH_NAMESPACES")).isEqualTo("team-a,team-b");
    assertThat(value(env, "RUNTIMEPOLICY_DEPLOYMENT_LABEL_SELECTOR")).isEqualTo("runtimepolicy.io/tuned=true");
    assertThat(value(env, "RUNTIMEPOLICY_LEADER_ELECTION")).isEqualTo("true");
  }

  @Test
  void operatorDeploymentPassesItsOwnRulesAndIsLockedDown() {
    Deployment deployment = only(render(), Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);

    assertThat(deployment.getMetadata().getAnnotations())
        .containsEntry("runtimepolicy.io/java-tuning", "enabled")
        .containsEntry("runtimepolicy.io/app-read-timeout", "2s");
    assertThat(List.of(operator.getLivenessProbe(), operator.getReadinessProbe(), operator.getStartupProbe()))
        .allSatisfy(p -> assertThat(p.getTimeoutSeconds()).isEqualTo(1));
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var security = operator.getSecurityContext();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getVolumeMounts())
        .extracting(m -> m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? " ro" : " rw"))
        .containsExactlyInAnyOrder("/tmp rw", "/etc/runtime-policy/tls ro");
    assertThat(pod.getVolumes()).filteredOn(v -> v.getEmptyDir() != null).extracting("name").containsExactly("tmp");
  }

  @Test
  void clusterRoleGrantsExactlyTheVerbsTheOperatorUses() {
    List<String> rules = only(render(), ClusterRole.class).getRules().stream().map(ChartContractIT::rule).toList();

    assertThat(rules).containsExactlyInAnyOrder(
        "apps deployments [] get,list,watch,patch",
        "runtimepolicy.io runtimepolicies [] get,list,watch,create,patch",
        "runtimepolicy.io runtimepolicies/status [] get,patch,update",
        " events [] create,patch",
        "apiextensions.k8s.io customresourcedefinitions [runtimepolicies.runtimepolicy.io] get");
  }

  @Test
  void webhookWarnsAndNeverBlocks() {
    ValidatingWebhook webhook = only(render(), ValidatingWebhookConfiguration.class).getWebhooks().get(0);

    assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(webhook.getTimeoutSeconds()).isBetween(1, 5);
    assertThat(webhook.getSideEffects()).isEqualTo("None");
    assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
    assertThat(webhook.getRules()).singleElement().satisfies(r -> {
      assertThat(r.getApiGroups()).containsExactly("apps");
      assertThat(r.getResources()).containsExactly("deployments");
      assertThat(r.getOperations()).containsExactly("CREATE", "UPDATE");
    });
    assertThat(webhook.getNamespaceSelector().getMatchExpressions()).singleElement().satisfies(e -> {
      assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
      assertThat(e.getOperator()).isEqualTo("NotIn");
      assertThat(e.getValues()).containsExactlyInAnyOrder("kube-system", NS);
    });
    assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/validate-deployments");
    assertThat(webhook.getClientConfig().getService().getPort()).isEqualTo(443);
  }

  @Test
  void helmGeneratedCertificateServesTheWebhookServiceAndMatchesTheCaBundle() throws Exception {
    List<HasMetadata> objects = render();
    Map<String, String> tls = only(objects, Secret.class).getData();
    String caBundle = only(objects, ValidatingWebhookConfiguration.class).getWebhooks().get(0).getClientConfig().getCaBundle();

    assertThat(caBundle).isEqualTo(tls.get("ca.crt"));
    X509Certificate ca = certificate(tls.get("ca.crt"));
    X509Certificate serving = certificate(tls.get("tls.crt"));
    serving.verify(ca.getPublicKey());
    assertThat(serving.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
        .contains("runtime-policy-operator." + NS + ".svc");
    assertThat(new String(Base64.getDecoder().decode(tls.get("tls.key")), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN RSA PRIVATE KEY-----");
  }

  @Test
  void urlModeRegistersByUrlWithTheGivenCaBundle() {
    String url = "https://127.0.0.1:9443/validate-deployments";
    ValidatingWebhook webhook = only(render("--set", "webhook.url=" + url, "--set", "webhook.caBundle=Q0E="),
        ValidatingWebhookConfiguration.class).getWebhooks().get(0);

    assertThat(webhook.getClientConfig().getUrl()).isEqualTo(url);
    assertThat(webhook.getClientConfig().getService()).isNull();
    assertThat(webhook.getClientConfig().getCaBundle()).isEqualTo("Q0E=");
  }

  @Test
  void watchedNamespacesAlsoLimitTheWebhook() {
    ValidatingWebhook webhook = only(render("--set", "watchNamespaces={team-a,team-b}"),
        ValidatingWebhookConfiguration.class).getWebhooks().get(0);

    assertThat(webhook.getNamespaceSelector().getMatchExpressions())
        .extracting(e -> e.getOperator() + " " + e.getValues())
        .containsExactly("NotIn [kube-system, " + NS + "]", "In [team-a, team-b]");
  }

  private static List<HasMetadata> render(String... extra) {
    List<String> args = new ArrayList<>(List.of("template", "runtime-policy", ProjectFiles.chart().toString(), "-n", NS));
    args.addAll(List.of(extra));
    Cli.Result rendered = cli.helm(args.toArray(String[]::new));
    assertThat(rendered.ok()).as("%s", rendered).isTrue();
    return Manifests.parse(rendered.stdout());
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as("rendered %s", type.getSimpleName()).hasSize(1);
    return matching.get(0);
  }

  private static Map<String, EnvVar> env(List<HasMetadata> objects) {
    return only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
        .stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static String value(Map<String, EnvVar> env, String name) {
    return env.get(name).getValue() == null ? "" : env.get(name).getValue();
  }

  private static String rule(PolicyRule r) {
    return String.join(",", r.getApiGroups()) + " " + String.join(",", r.getResources()) + " "
        + r.getResourceNames() + " " + String.join(",", r.getVerbs());
  }

  private static X509Certificate certificate(String base64Pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
  }
}
