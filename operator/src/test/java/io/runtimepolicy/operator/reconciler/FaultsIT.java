package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runtimepolicy.api.v1alpha1.WorkloadResult;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.PromText;
import io.runtimepolicy.testing.WithRealApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cells of the fault matrix (docs/reliability.md) that need only the API server. */
@WithRealApiServer
class FaultsIT extends WithOperator {

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of());
  }

  /**
   * Another field manager rewrites the managed variable every 500 ms. Each of its writes passes the
   * webhook, which tunes it in that same write: the operator writes nothing (the bound is zero
   * operator writes per foreign write, not one), never loops, and the value is right throughout.
   */
  @Test
  void aConcurrentWriterIsTunedInItsOwnWritesAndTheOperatorNeverFightsIt() throws Exception {
    String ns = namespace("writer");
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(TestDeployments.deployment("api").governed().cpuLimit("2").build())
        .create();
    double writes = operatorWrites();
    double reconciles = reconciles();

    // The foreign writer runs at a fixed rate (the injected fault), 20 writes 500 ms apart.
    ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
    CountDownLatch done = new CountDownLatch(20);
    List<String> wrong = new CopyOnWriteArrayList<>();
    writer.scheduleAtFixedRate(
        () -> {
          if (done.getCount() > 0) {
            String got = foreignWrite(ns, "-Xss" + (256 + done.getCount()) + "k");
            if (!got.endsWith(" -XX:ActiveProcessorCount=2")) {
              wrong.add(got);
            }
            done.countDown();
          }
        },
        0,
        500,
        TimeUnit.MILLISECONDS);
    try {
      assertThat(done.await(60, TimeUnit.SECONDS)).as("20 foreign writes").isTrue();
    } finally {
      writer.shutdownNow();
    }

    assertThat(wrong).as("values stored after a foreign write").isEmpty();
    assertThat(operatorWrites()).as("operator writes during 20 foreign writes").isEqualTo(writes);
    System.out.printf(
        "FaultsIT: %.0f reconciles during 20 foreign writes, 0 operator writes%n",
        reconciles() - reconciles);
  }

  /** Another field manager sets the variable to {@code theirs}; returns what was stored. */
  private static String foreignWrite(String ns, String theirs) {
    Deployment stored =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("api")
            .edit(
                d -> {
                  d.getSpec()
                      .getTemplate()
                      .getSpec()
                      .getContainers()
                      .get(0)
                      .setEnv(List.of(new EnvVar("JAVA_TOOL_OPTIONS", theirs, null)));
                  return d;
                });
    return EnvValues.of(stored, "app", "JAVA_TOOL_OPTIONS");
  }

  /**
   * Odd input through the real API server: each workload gets a finding or is ignored as the
   * contract says, the operator keeps running, and a plain workload beside them is still tuned.
   */
  @Test
  void badInputIsAFindingOrIgnoredAndEverythingElseIsStillTuned() {
    String ns = namespace("odd");
    List<String> accepted = new ArrayList<>();
    createIfAccepted(
        ns, accepted, with("empty-annotation", Map.of("runtimepolicy.io/java-tuning", "")));
    createIfAccepted(
        ns, accepted, with("enabled-space", Map.of("runtimepolicy.io/java-tuning", "enabled ")));
    createIfAccepted(
        ns,
        accepted,
        with(
            "long-timeout",
            Map.of(
                "runtimepolicy.io/java-tuning",
                "enabled",
                "runtimepolicy.io/app-read-timeout",
                "x".repeat(10_000))));
    createIfAccepted(
        ns,
        accepted,
        with(
            "unicode-policy",
            Map.of(
                "runtimepolicy.io/java-tuning", "enabled", "runtimepolicy.io/policy", "pölicy ✓")));
    Deployment huge = with("huge-options", Map.of("runtimepolicy.io/java-tuning", "enabled"));
    // 100 KB of options: recorded twice (set and user), the annotations stay under 256 KiB.
    container(huge)
        .setEnv(List.of(new EnvVar("JAVA_TOOL_OPTIONS", "-Dx=" + "y".repeat(100_000), null)));
    createIfAccepted(ns, accepted, huge);
    // 150 KB: the record would pass Kubernetes' annotation limit and fail the user's write, so the
    // webhook admits it untuned.
    Deployment tooBig = with("too-big-options", Map.of("runtimepolicy.io/java-tuning", "enabled"));
    container(tooBig)
        .setEnv(List.of(new EnvVar("JAVA_TOOL_OPTIONS", "-Dx=" + "z".repeat(150_000), null)));
    createIfAccepted(ns, accepted, tooBig);
    Deployment manyEnv = with("many-env", Map.of("runtimepolicy.io/java-tuning", "enabled"));
    container(manyEnv)
        .setEnv(
            IntStream.range(0, 1000)
                .mapToObj(i -> new EnvVar("VAR_" + i, Integer.toString(i), null))
                .toList());
    createIfAccepted(ns, accepted, manyEnv);
    Deployment many = with("many-containers", Map.of("runtimepolicy.io/java-tuning", "enabled"));
    many.getSpec()
        .getTemplate()
        .getSpec()
        .setContainers(
            IntStream.range(0, 64)
                .mapToObj(
                    i ->
                        new ContainerBuilder()
                            .withName("c" + i)
                            .withImage("registry.example/app:1")
                            .withNewResources()
                            .addToLimits("cpu", new Quantity("999999"))
                            .endResources()
                            .build())
                .toList());
    createIfAccepted(ns, accepted, many);
    createIfAccepted(
        ns, accepted, TestDeployments.deployment("plain").governed().cpuLimit("3").build());

    assertThat(accepted)
        .contains("plain", "huge-options", "too-big-options", "many-env", "many-containers");
    assertThat(
            EnvValues.of(
                client.apps().deployments().inNamespace(ns).withName("too-big-options").get(),
                "app",
                "JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Dx=" + "z".repeat(150_000));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      EnvValues.of(
                          client.apps().deployments().inNamespace(ns).withName("plain").get(),
                          "app",
                          "JAVA_TOOL_OPTIONS"))
                  .isEqualTo("-XX:ActiveProcessorCount=3");
              assertThat(TestPolicies.status(client, ns, "default").getResults())
                  .extracting(WorkloadResult::getName)
                  .contains("plain", "huge-options", "many-env", "many-containers", "long-timeout");
            });
    Deployment hugeStored =
        client.apps().deployments().inNamespace(ns).withName("huge-options").get();
    assertThat(EnvValues.of(hugeStored, "app", "JAVA_TOOL_OPTIONS"))
        .startsWith("-Dx=yyy")
        .endsWith(" -XX:ActiveProcessorCount=2");
    Deployment manyStored =
        client.apps().deployments().inNamespace(ns).withName("many-containers").get();
    assertThat(manyStored.getSpec().getTemplate().getSpec().getContainers())
        .allSatisfy(
            c ->
                assertThat(EnvValues.of(manyStored, c.getName(), "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-XX:ActiveProcessorCount=999999"));
    assertThat(TestPolicies.status(client, ns, "default").getResults())
        .filteredOn(r -> r.getName().equals("long-timeout"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getFindings())
                    .anySatisfy(f -> assertThat(f).contains("is not a duration")));
    // Not governed: exactly "enabled" opts in, and a policy name that is not a policy governs
    // nothing.
    for (String ignored : List.of("empty-annotation", "enabled-space", "unicode-policy")) {
      if (accepted.contains(ignored)) {
        assertThat(
                EnvValues.of(
                    client.apps().deployments().inNamespace(ns).withName(ignored).get(),
                    "app",
                    "JAVA_TOOL_OPTIONS"))
            .as(ignored)
            .isNull();
      }
    }
  }

  private static void createIfAccepted(String ns, List<String> accepted, Deployment deployment) {
    try {
      client.apps().deployments().inNamespace(ns).resource(deployment).create();
      accepted.add(deployment.getMetadata().getName());
    } catch (KubernetesClientException e) {
      // The API server's own validation refused it: nothing for the operator to see.
      assertThat(e.getCode()).as(deployment.getMetadata().getName()).isEqualTo(422);
    }
  }

  private static Deployment with(String name, Map<String, String> annotations) {
    Deployment deployment = TestDeployments.deployment(name).cpuLimit("1500m").build();
    deployment.getMetadata().setAnnotations(new java.util.HashMap<>(annotations));
    return new DeploymentBuilder(deployment).build();
  }

  private static io.fabric8.kubernetes.api.model.Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static double reconciles() {
    return PromText.scrape(operator.healthPort()).sum("operator_sdk_reconciliations_started_total");
  }
}
