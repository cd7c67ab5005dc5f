package io.runtimepolicy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.local.OperatorProcess;
import io.runtimepolicy.operator.OperatorMain;
import io.runtimepolicy.operator.RunningOperator;
import io.runtimepolicy.operator.StartupCheck;
import io.runtimepolicy.operator.config.OperatorConfig;
import io.runtimepolicy.operator.reports.Report;
import io.runtimepolicy.testing.Cli;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.SelfSignedCertificate;
import io.runtimepolicy.testing.ServiceAccountKubeconfig;
import io.runtimepolicy.testing.WebhookRegistrations;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The chart's RBAC, proven: the operator runs as the chart's ServiceAccount with the rendered
 * ClusterRole and reconciles; then each rule (or verb) is removed in turn and the behaviour that
 * needs it stops. A rule nobody needs could not fail any of these.
 */
@WithRealApiServer
class LeastPrivilegeIT {

  static final String NS = Rendered.NAMESPACE;
  static final String SA = "runtime-policy-operator";
  static final List<String> APPS = List.of("app", "app-2", "app-3");

  static KubernetesClient client;
  @TempDir static Path tls;
  static ClusterRole chartRole;
  static Role leaseRole;
  static int run;
  RunningOperator operator;

  @BeforeAll
  static void renderChartAndInstallCrd() throws Exception {
    Cli cli = Cli.withoutCluster();
    chartRole = Rendered.chart(cli).only(ClusterRole.class);
    leaseRole = Rendered.chart(cli, "--set", "leaderElection.enabled=true").only(Role.class);
    client
        .resource(
            Serialization.unmarshal(
                Files.newInputStream(
                    ProjectFiles.chart().resolve("crds/runtimepolicies.runtimepolicy.io-v1.yml")),
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class))
        .serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> client.resources(RuntimePolicy.class).inAnyNamespace().list() != null);
    namespace(NS);
    client
        .serviceAccounts()
        .inNamespace(NS)
        .resource(new ServiceAccountBuilder().withNewMetadata().withName(SA).endMetadata().build())
        .create();
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void withEveryRuleTheOperatorTunesWritesStatusRecordsEventsAndCreatesTheDefaultPolicy()
      throws Exception {
    String ns = scenario(rules -> rules, false);

    awaitTuned(ns);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .resources(RuntimePolicy.class)
                          .inNamespace(ns)
                          .withName("default")
                          .get()
                          .getStatus())
                  .isNotNull();
              assertThat(client.v1().events().inNamespace(ns).list().getItems()).isNotEmpty();
            });
  }

  @Test
  void withTheReportRuleEachPolicyGetsItsReport() throws Exception {
    installReportCrd();
    String ns = scenario(rules -> rules, true);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(reportIn(ns)).isNotNull());
  }

  /** Each verb of the reports rule: without it the Report is not written and the log says why. */
  @ParameterizedTest(name = "without {0}")
  @ValueSource(strings = {"get", "create", "patch"})
  void withoutAVerbOnReportsNoReportIsWrittenAndOneLineSaysWhy(String verb) throws Exception {
    installReportCrd();
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger)
            LoggerFactory.getLogger("io.runtimepolicy.operator.reconciler.ReportWrites");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try {
      String ns = scenario(without("reports", verb), true);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(messages(lines, "RBAC forbids writing Reports")).hasSize(1));
      assertThat(reportIn(ns)).isNull();
      awaitTuned(ns);
    } finally {
      log.detachAppender(lines);
    }
  }

  private static void installReportCrd() throws Exception {
    client
        .resource(
            Serialization.unmarshal(
                Files.newInputStream(
                    ProjectFiles.chart().resolve("files/" + ProjectFiles.REPORT_CRD_FILE)),
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class))
        .serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> client.resources(Report.class).inAnyNamespace().list() != null);
  }

  private static Report reportIn(String ns) {
    return client.resources(Report.class).inNamespace(ns).withName("default").get();
  }

  @Test
  void withoutListingDeploymentsTheOperatorRefusesToStart() {
    KubernetesClient sa = bind(without("deployments", null), false, false);

    assertThat(StartupCheck.problem(sa)).contains("RBAC forbids list on deployments.apps");
  }

  @Test
  void withoutListingRuntimePoliciesTheOperatorRefusesToStart() {
    KubernetesClient sa = bind(without("runtimepolicies", null), false, false);

    assertThat(StartupCheck.problem(sa))
        .contains("RBAC forbids list on runtimepolicies.runtimepolicy.io");
  }

  @Test
  void injectWithoutTheChartsPodRuleRefusesToStart() {
    // The chart's default role (inject.enabled=false) lists pods but does not watch them; binding
    // awaits it in effect.
    KubernetesClient sa = bind(rules -> rules, false, true);

    assertThat(StartupCheck.problem(sa, true, true))
        .isEqualTo(
            "RBAC forbids watch on pods for this identity: install the chart's ClusterRole or grant"
                + " it");
  }

  @Test
  void withThePodRuleAPodAdmittedWithOtherResourcesIsCountedStaleAndWithoutItNoStart()
      throws Exception {
    String ns =
        scenario(
            rules -> rules,
            true,
            false,
            false,
            Map.of("RUNTIMEPOLICY_STALE_POD_SCAN_INTERVAL", "1s"));
    awaitTuned(ns);
    // What VPA's admission would leave: a pod of the Deployment with twice its template's CPU.
    client.resource(podOf(ns, "app", "4")).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        Optional.ofNullable(
                                client
                                    .resources(RuntimePolicy.class)
                                    .inNamespace(ns)
                                    .withName("default")
                                    .get()
                                    .getStatus())
                            .map(RuntimePolicyStatus::getResults)
                            .orElse(List.of()))
                    .filteredOn(r -> r.getName().equals("app"))
                    .singleElement()
                    .satisfies(
                        r -> {
                          assertThat(r.getPods()).as("pod counts").isNotNull();
                          assertThat(r.getPods().getStaleReasons())
                              .containsExactly(Map.entry("ResourcesChangedAtAdmission", 1));
                        }));

    KubernetesClient without = bind(without("pods", null), false, false);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> StartupCheck.problem(without, false, true) != null);
    assertThat(StartupCheck.problem(without, false, true))
        .isEqualTo(
            "RBAC forbids list on pods for this identity: install the chart's ClusterRole or grant"
                + " it");
    assertThat(StartupCheck.problem(without, false, false)).as("stalePods.enabled=false").isNull();
  }

  /** A pod of Deployment {@code name}'s ReplicaSet, as stored: its template, at {@code cpu}. */
  private static Pod podOf(String ns, String name, String cpu) {
    Deployment deployment = client.apps().deployments().inNamespace(ns).withName(name).get();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name + "-5d8f-x1")
            .withNamespace(ns)
            .withLabels(Map.of("app", name, "pod-template-hash", "5d8f"))
            .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("ReplicaSet")
            .withName(name + "-5d8f")
            .withUid("00000000-0000-0000-0000-000000000001")
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withSpec(Serialization.clone(deployment.getSpec().getTemplate().getSpec()))
            .build();
    pod.getSpec().getContainers().get(0).getResources().getLimits().put("cpu", new Quantity(cpu));
    return pod;
  }

  @Test
  void withoutPatchOnDeploymentsNothingIsTunedAndStatusSaysWhy() throws Exception {
    String ns = scenario(without("deployments", "patch"), true);

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(RuntimePolicy.class)
                            .inNamespace(ns)
                            .withName("default")
                            .get()
                            .getStatus()
                            .getResults())
                    .anySatisfy(
                        r ->
                            assertThat(r.getFindings())
                                .anySatisfy(f -> assertThat(f).contains("HTTP 403"))));
    assertThat(env(ns)).isNull();
  }

  @Test
  void withoutCreateOnRuntimePoliciesNoDefaultPolicyAppears() throws Exception {
    String ns = scenario(without("runtimepolicies", "create"), false);

    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(6))
        .until(
            () ->
                client.resources(RuntimePolicy.class).inNamespace(ns).list().getItems().isEmpty());
    assertThat(env(ns)).isNull();
  }

  @Test
  void withoutPatchOnStatusTheDeploymentIsTunedButNoStatusIsWritten() throws Exception {
    String ns = scenario(without("runtimepolicies/status", null), true);

    awaitTuned(ns);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(4))
        .until(
            () ->
                client
                        .resources(RuntimePolicy.class)
                        .inNamespace(ns)
                        .withName("default")
                        .get()
                        .getStatus()
                    == null);
  }

  @Test
  void withoutCreateOnEventsTheDeploymentIsTunedButNoEventIsRecorded() throws Exception {
    String ns = scenario(without("events", null), false);

    awaitTuned(ns);
    // Events are written in the background: wait until the API server has refused one.
    await().atMost(Duration.ofSeconds(30)).until(() -> failedEvents() >= 1);
    assertThat(client.v1().events().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void patchRevokedAtRuntimeIsReportedWithoutARetryStormAndRestoringItConverges() throws Exception {
    String ns =
        scenario(rules -> rules, true, false, false, Map.of("RUNTIMEPOLICY_RESYNC_PERIOD", "2s"));
    awaitTuned(ns);
    // Two more, tuned by their own admission now that the webhook serves: three refused writes
    // per resync, so a log line per workload would show as three times as many lines.
    for (String name : List.of("app-2", "app-3")) {
      client.apps().deployments().inNamespace(ns).resource(annotatedDeployment(name)).create();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                APPS.forEach(a -> assertThat(env(ns, a)).isEqualTo("-XX:ActiveProcessorCount=2")));
    String role = "rbac-run-" + run;
    KubernetesClient sa =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(ServiceAccountKubeconfig.create(client, NS, SA)))
            .build();

    ch.qos.logback.classic.Logger reconcilerLog =
        (ch.qos.logback.classic.Logger)
            LoggerFactory.getLogger("io.runtimepolicy.operator.reconciler");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    reconcilerLog.addAppender(lines);
    try {
      revokeAndRestore(ns, role, sa, lines);
    } finally {
      reconcilerLog.detachAppender(lines);
    }
  }

  private void revokeAndRestore(
      String ns, String role, KubernetesClient sa, ListAppender<ILoggingEvent> lines) {
    grantPatch(role, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> !canPatchDeployments(sa));
    // A merge patch carries no resourceVersion: the operator's status writes cannot conflict it.
    client
        .resources(RuntimePolicy.class)
        .inNamespace(ns)
        .withName("default")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"java\":{\"minProcessors\":3}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(RuntimePolicy.class)
                            .inNamespace(ns)
                            .withName("default")
                            .get()
                            .getStatus()
                            .getResults())
                    .hasSize(3)
                    .allSatisfy(
                        r -> {
                          assertThat(r.getState().name()).isEqualTo("Error");
                          assertThat(r.getFindings())
                              .anySatisfy(f -> assertThat(f).contains("HTTP 403"));
                        }));
    // For three resync periods the reconciles stay at the resync pace (one refused write each),
    // not a retry storm; and they go on, so a restored grant is picked up.
    double before = reconciles();
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(8))
        .until(() -> reconciles() - before <= 6);
    assertThat(reconciles() - before).as("reconciles in 6 s, resync 2 s").isGreaterThanOrEqualTo(1);
    // Three workloads refused on every one of those reconciles, and one line for the policy.
    assertThat(messages(lines, "Could not write"))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("of RuntimePolicy " + ns + "/default: HTTP 403")
                    .contains("further denials logged at debug until a write succeeds"));

    grantPatch(role, true);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                APPS.forEach(a -> assertThat(env(ns, a)).isEqualTo("-XX:ActiveProcessorCount=3")));
    assertThat(messages(lines, "Writes of RuntimePolicy"))
        .singleElement()
        .satisfies(line -> assertThat(line).contains(ns + "/default succeed again"));
    assertThat(messages(lines, "Could not write")).hasSize(1);
    System.out.printf(
        "LeastPrivilegeIT: %d reconciles in the 6 s window, log lines: %s%n",
        (long) (reconciles() - before),
        lines.list.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
            .map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.startsWith("Could not") || m.startsWith("Writes of"))
            .toList());
  }

  private static List<String> messages(ListAppender<ILoggingEvent> lines, String prefix) {
    return lines.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith(prefix))
        .toList();
  }

  private static void grantPatch(String role, boolean granted) {
    client
        .rbac()
        .clusterRoles()
        .withName(role)
        .edit(
            r -> {
              for (PolicyRule rule : r.getRules()) {
                if (rule.getResources().contains("deployments")) {
                  List<String> verbs = new ArrayList<>(rule.getVerbs());
                  verbs.remove("patch");
                  if (granted) {
                    verbs.add("patch");
                  }
                  rule.setVerbs(verbs);
                }
              }
              return r;
            });
  }

  private static boolean canPatchDeployments(KubernetesClient sa) {
    return sa.authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(
            new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withGroup("apps")
                .withResource("deployments")
                .withVerb("patch")
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }

  private double reconciles() {
    return PromText.scrape(operator.healthPort()).sum("operator_sdk_reconciliations_started_total");
  }

  @Test
  void leaderElectionNeedsTheLeaseRoleAndWorksWithIt() throws Exception {
    assertThatThrownBy(() -> scenario(rules -> rules, false, true, false))
        .hasStackTraceContaining("No permission to lease resource");

    String granted = scenario(rules -> rules, false, true, true);
    awaitTuned(granted);
    assertThat(client.leases().inNamespace(NS).list().getItems())
        .anySatisfy(l -> assertThat(l.getSpec().getHolderIdentity()).isNotBlank());
  }

  private String scenario(UnaryOperator<List<PolicyRule>> rules, boolean precreatePolicy)
      throws Exception {
    return scenario(rules, precreatePolicy, false, false);
  }

  private String scenario(
      UnaryOperator<List<PolicyRule>> rules,
      boolean precreatePolicy,
      boolean leaderElection,
      boolean leaseRole)
      throws Exception {
    return scenario(rules, precreatePolicy, leaderElection, leaseRole, Map.of());
  }

  private String scenario(
      UnaryOperator<List<PolicyRule>> rules,
      boolean precreatePolicy,
      boolean leaderElection,
      boolean leaseRole,
      Map<String, String> moreEnv)
      throws Exception {
    KubernetesClient sa = bind(rules, leaseRole, true);
    String ns = namespace("rbac-" + run);
    if (precreatePolicy) {
      RuntimePolicy policy = new RuntimePolicy();
      policy.getMetadata().setName("default");
      policy.getMetadata().setNamespace(ns);
      client.resource(policy).create();
    }
    // Enforce sets values through the webhook, which needs no RBAC of its own. It is registered
    // first and the Deployment created while nothing listens on its port, so admission cannot tune
    // it and what is proven is the operator's own write, under the edited role.
    int port = OperatorProcess.freePort();
    SelfSignedCertificate cert = SelfSignedCertificate.create(tls.resolve("run-" + run));
    client
        .resource(WebhookRegistrations.loopback(port, cert.caPem(), NS))
        .forceConflicts()
        .serverSideApply();
    client.apps().deployments().inNamespace(ns).resource(annotatedDeployment()).create();
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "RUNTIMEPOLICY_HEALTH_PORT",
                "0",
                "RUNTIMEPOLICY_WEBHOOK_PORT",
                Integer.toString(port),
                "RUNTIMEPOLICY_WEBHOOK_CERT_FILE",
                cert.certFile().toString(),
                "RUNTIMEPOLICY_WEBHOOK_KEY_FILE",
                cert.keyFile().toString(),
                "RUNTIMEPOLICY_WATCH_NAMESPACES",
                ns,
                "RUNTIMEPOLICY_OPERATOR_NAMESPACE",
                NS));
    if (leaderElection) {
      env.put("RUNTIMEPOLICY_LEADER_ELECTION", "true");
    }
    env.putAll(moreEnv);
    operator = OperatorMain.start(OperatorConfig.fromEnv(env), sa);
    return ns;
  }

  /** Binds a fresh copy of the chart's ClusterRole, edited, to the chart's ServiceAccount. */
  private static KubernetesClient bind(
      UnaryOperator<List<PolicyRule>> edit, boolean withLeaseRole, boolean awaitEffective) {
    run++;
    ClusterRole role = Serialization.clone(chartRole);
    role.getMetadata().setName("rbac-run-" + run);
    role.setRules(edit.apply(new ArrayList<>(role.getRules())));
    client.resource(role).create();
    client
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("rbac-run-" + run)
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io", "ClusterRole", role.getMetadata().getName())
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(SA)
                .withNamespace(NS)
                .endSubject()
                .build())
        .create();
    client.rbac().clusterRoleBindings().list().getItems().stream()
        .filter(
            b ->
                b.getMetadata().getName().startsWith("rbac-run-")
                    && !b.getMetadata().getName().equals("rbac-run-" + run))
        .forEach(b -> client.resource(b).delete());
    client.rbac().roleBindings().inNamespace(NS).delete();
    if (withLeaseRole) {
      Role lease = Serialization.clone(leaseRole);
      lease.getMetadata().setNamespace(NS);
      client.resource(lease).serverSideApply();
      client
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("lease-" + run)
                  .withNamespace(NS)
                  .endMetadata()
                  .withNewRoleRef(
                      "rbac.authorization.k8s.io", "Role", lease.getMetadata().getName())
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName(SA)
                  .withNamespace(NS)
                  .endSubject()
                  .build())
          .create();
    }
    KubernetesClient sa =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(ServiceAccountKubeconfig.create(client, NS, SA)))
            .build();
    if (awaitEffective) {
      // RBAC reaches the authorizer through its own watch: start only once the grant is visible.
      await().atMost(Duration.ofSeconds(10)).until(() -> StartupCheck.problem(sa) == null);
    }
    return sa;
  }

  /** The chart's rules without the rule for {@code resource}, or without one verb of it. */
  private static UnaryOperator<List<PolicyRule>> without(String resource, String verb) {
    return rules -> {
      List<PolicyRule> edited = new ArrayList<>();
      for (PolicyRule rule : rules) {
        if (!rule.getResources().contains(resource)) {
          edited.add(rule);
        } else if (verb != null) {
          PolicyRule copy = Serialization.clone(rule);
          copy.setVerbs(rule.getVerbs().stream().filter(v -> !v.equals(verb)).toList());
          edited.add(copy);
        }
      }
      assertThat(edited).as("the chart has a rule for %s %s", resource, verb).isNotEqualTo(rules);
      return edited;
    };
  }

  private static void awaitTuned(String ns) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(env(ns)).isEqualTo("-XX:ActiveProcessorCount=2"));
  }

  private double failedEvents() {
    return PromText.scrape(operator.healthPort())
        .sum("runtimepolicy_events_total", sample -> sample.label("result").equals("failed"));
  }

  private static String env(String ns) {
    return env(ns, "app");
  }

  private static String env(String ns, String name) {
    return EnvValues.of(
        client.apps().deployments().inNamespace(ns).withName(name).get(),
        "app",
        "JAVA_TOOL_OPTIONS");
  }

  private static String namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  private static Deployment annotatedDeployment() {
    return annotatedDeployment("app");
  }

  private static Deployment annotatedDeployment(String name) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .addToAnnotations("runtimepolicy.io/java-tuning", "enabled")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "app")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "app")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1")
        .withNewResources()
        .addToLimits("cpu", new Quantity("2"))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
