package io.runtimepolicy.operator.reconciler;

import static io.runtimepolicy.operator.TestDeployments.deployment;
import static io.runtimepolicy.operator.TestDeployments.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.config.OperatorConfig;
import io.runtimepolicy.operator.policy.Annotations;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting a RuntimePolicy. {@code default} governs by the operator's defaults whether it exists or
 * not, so the next write of a workload that names it is tuned by those defaults and brings it back
 * from them; a named policy that is gone governs nothing, so the next write gives the user's values
 * back. Either way nothing changes until that write.
 */
@WithRealApiServer
class PolicyDeletionIT extends WithOperator {

  private static final String USER_OPTIONS = "-Xss512k -XX:ActiveProcessorCount=16";

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of());
  }

  @Test
  void deletedDefaultComesBackFromTheOperatorsDefaultsAtTheNextWriteNeverUntuned() {
    String ns = namespace("default-deleted");
    policyInTheOperatorsCache(ns, "default", "{java: {minProcessors: 5}}");
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (Watch watch = recordOptions(ns, "search", seen)) {
      create(ns, deployment("search").governed().cpuLimit("2").javaToolOptions(USER_OPTIONS));
      eventually()
          .untilAsserted(
              () ->
                  assertThat(options(ns, "search"))
                      .isEqualTo("-Xss512k -XX:ActiveProcessorCount=5"));

      deletePolicy(ns, "default");
      awaitAdmissionWouldGive(ns, "search", "-Xss512k -XX:ActiveProcessorCount=2");
      await("nothing changes before the next write, though the operator knows")
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(
              () -> {
                assertThat(policy(ns, "default")).isNull();
                assertThat(options(ns, "search")).isEqualTo("-Xss512k -XX:ActiveProcessorCount=5");
              });

      label(ns, "search");

      eventually()
          .untilAsserted(
              () -> {
                RuntimePolicy recreated = policy(ns, "default");
                assertThat(recreated).isNotNull();
                assertThat(recreated.getSpec())
                    .isEqualTo(OperatorConfig.fromEnv(Map.of()).defaultPolicy());
                assertThat(recreated.getStatus()).isNotNull();
                assertThat(recreated.getStatus().getTuned()).isEqualTo(1);
              });
      Deployment retuned = get(ns, "search");
      assertThat(env(retuned, "JAVA_TOOL_OPTIONS"))
          .isEqualTo("-Xss512k -XX:ActiveProcessorCount=2");
      assertThat(retuned.getMetadata().getAnnotations())
          .containsEntry(Annotations.TUNED_BY, "default")
          .extractingByKey(Annotations.MANAGED_ENV)
          .asString()
          .contains("\"user\":\"" + USER_OPTIONS + "\"");
      eventually()
          .untilAsserted(
              () -> assertThat(last(seen)).isEqualTo("-Xss512k -XX:ActiveProcessorCount=2"));
      assertThat(distinctRuns(seen))
          .as("every stored version of the Deployment, from its create on")
          .containsExactly(
              "-Xss512k -XX:ActiveProcessorCount=5", "-Xss512k -XX:ActiveProcessorCount=2");
    }

    // The record kept the user's 16 through the deletion: leaving still gives it back.
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("search")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().remove(Annotations.JAVA_TUNING);
              return d;
            });
    eventually().untilAsserted(() -> assertThat(options(ns, "search")).isEqualTo(USER_OPTIONS));
  }

  @Test
  void aDeletedNamedPolicyStaysGoneAndTheNextWriteGivesTheUsersValuesBack() {
    String ns = namespace("named-deleted");
    policyInTheOperatorsCache(ns, "services", "{java: {minProcessors: 5}}");
    create(
        ns,
        deployment("search")
            .governed()
            .annotation(Annotations.POLICY, "services")
            .cpuLimit("2")
            .javaToolOptions(USER_OPTIONS));
    eventually()
        .untilAsserted(
            () ->
                assertThat(options(ns, "search")).isEqualTo("-Xss512k -XX:ActiveProcessorCount=5"));

    deletePolicy(ns, "services");
    awaitAdmissionWouldGive(ns, "search", USER_OPTIONS);
    assertThat(options(ns, "search")).isEqualTo("-Xss512k -XX:ActiveProcessorCount=5");
    label(ns, "search");

    eventually().untilAsserted(() -> assertThat(options(ns, "search")).isEqualTo(USER_OPTIONS));
    assertThat(get(ns, "search").getMetadata().getAnnotations())
        .doesNotContainKeys(Annotations.TUNED_BY, Annotations.MANAGED_ENV);
    assertThat(policy(ns, "services")).isNull();
    assertThat(policy(ns, "default")).as("a named policy is never replaced by default").isNull();
  }

  /** Created and reconciled once, so admission already computes from it. */
  private static void policyInTheOperatorsCache(String ns, String name, String spec) {
    TestPolicies.create(client, ns, name, spec);
    eventually().untilAsserted(() -> assertThat(TestPolicies.status(client, ns, name)).isNotNull());
  }

  private static void deletePolicy(String ns, String name) {
    client.resources(RuntimePolicy.class).inNamespace(ns).withName(name).delete();
    eventually().untilAsserted(() -> assertThat(policy(ns, name)).isNull());
  }

  /**
   * Until a dry run of the user's next write comes back from admission with {@code options}: the
   * webhook reads the operator's policy cache, so the operator has seen the deletion. Without this,
   * a write racing the deletion event would still be tuned by the deleted policy.
   */
  private static void awaitAdmissionWouldGive(String ns, String name, String options) {
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        env(
                            client
                                .apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(name)
                                .dryRun()
                                .edit(PolicyDeletionIT::withTeamLabel),
                            "JAVA_TOOL_OPTIONS"))
                    .isEqualTo(options));
  }

  private static Deployment withTeamLabel(Deployment d) {
    d.getMetadata().setLabels(Map.of("team", "search"));
    return d;
  }

  /** The user's next write, one that does not touch the env: a label. */
  private static void label(String ns, String name) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .edit(PolicyDeletionIT::withTeamLabel);
  }

  /** The options of every version of the Deployment the API server stores, in order. */
  private static Watch recordOptions(String ns, String name, List<String> seen) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withField("metadata.name", name)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Deployment deployment) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                  seen.add(String.valueOf(env(deployment, "JAVA_TOOL_OPTIONS")));
                }
              }

              @Override
              public void onClose(WatcherException cause) {
                seen.add("watch closed: " + cause);
              }
            });
  }

  private static List<String> distinctRuns(List<String> values) {
    List<String> runs = new ArrayList<>();
    synchronized (values) {
      for (String value : values) {
        if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(value)) {
          runs.add(value);
        }
      }
    }
    return runs;
  }

  private static String last(List<String> values) {
    synchronized (values) {
      return values.isEmpty() ? null : values.get(values.size() - 1);
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
  }

  private static void create(String ns, TestDeployments deployment) {
    client.apps().deployments().inNamespace(ns).resource(deployment.build()).create();
  }

  private static Deployment get(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private static String options(String ns, String name) {
    return env(get(ns, name), "JAVA_TOOL_OPTIONS");
  }

  private static RuntimePolicy policy(String ns, String name) {
    return client.resources(RuntimePolicy.class).inNamespace(ns).withName(name).get();
  }
}
