package io.runtimepolicy.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.testing.ApiServerOutage;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.Readyz;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24, item 9: /readyz, polled every 100 ms from its first 200, answers 200 every time while
 * the API server is stopped and started again on the same port, although every watch of the
 * operator ends and is re-established: JOSDK's own health check, which /readyz used to answer,
 * reports the informers unhealthy meanwhile. The webhook answers from its policy cache throughout,
 * so a Service endpoint has nothing to lose; a policy created after the restart tunes a Deployment
 * in its own create, so the watches did come back.
 */
@WithRealApiServer
class ReadinessIT extends WithOperator {

  private static final String NS = "readiness";
  private static final Duration POLL = Duration.ofMillis(100);

  @TempDir static Path dir;
  static KubeAPIServer server;

  record Sample(long nanos, int status, String body, boolean josdkHealthy) {
    @Override
    public String toString() {
      return status + " " + body + (josdkHealthy ? "" : " (JOSDK: unhealthy)");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of());
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @Test
  void readyzStays200WhileTheApiServerRestartsAndEveryWatchIsReEstablished() throws Exception {
    List<Sample> samples = new CopyOnWriteArrayList<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    poller.scheduleWithFixedDelay(
        () -> samples.add(sample()), 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    long down;
    long up;
    try (ApiServerOutage outage = ApiServerOutage.begin(server, dir.resolve("apiserver.log"))) {
      down = System.nanoTime();
      assertThat(outage.refusing()).as("the API server refuses connections").isTrue();
      // What /readyz used to answer sees the watches gone.
      await().atMost(Duration.ofSeconds(30)).until(() -> !josdkHealthy());
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(outage::refusing);
      outage.end();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> client.namespaces().withName(NS).get() != null);
      up = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).until(ReadinessIT::josdkHealthy);
      TestPolicies.create(client, NS, "after", "{java: {minProcessors: 3}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () -> assertThat(admittedOptions()).isEqualTo("-XX:ActiveProcessorCount=3"));
    } finally {
      poller.shutdown();
      assertThat(poller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    System.out.printf(
        "ReadinessIT: API server down and starting for %.1f s; /readyz answered %d times (%d while"
            + " down or starting), %d of them not 200; JOSDK's check unhealthy in %d%n",
        (up - down) / 1e9,
        samples.size(),
        samples.stream().filter(s -> s.nanos() > down && s.nanos() < up).count(),
        samples.stream().filter(s -> s.status() != 200).count(),
        samples.stream().filter(s -> !s.josdkHealthy()).count());
    List<Sample> fromFirstReady = samples.stream().dropWhile(s -> s.status() != 200).toList();
    assertThat(fromFirstReady).as("/readyz answered 200 once").isNotEmpty();
    assertThat(
            fromFirstReady.stream()
                .filter(s -> s.status() != 200)
                .map(s -> (s.nanos() - down) / 1_000_000 + " ms after the stop: " + s))
        .as("answers other than 200 after the first")
        .isEmpty();
    assertThat(samples.stream().filter(s -> s.nanos() > down && s.nanos() < up).count())
        .as("answers while the API server was down or starting")
        .isGreaterThan(20);
    assertThat(fromFirstReady).anySatisfy(s -> assertThat(s.josdkHealthy()).isFalse());
  }

  private static Sample sample() {
    long at = System.nanoTime();
    boolean healthy = josdkHealthy();
    try {
      Readyz answer = Readyz.get(operator.healthPort());
      return new Sample(at, answer.status(), answer.body(), healthy);
    } catch (RuntimeException e) {
      return new Sample(at, -1, e.toString(), healthy);
    }
  }

  private static boolean josdkHealthy() {
    return operator.operator().getRuntimeInfo().allEventSourcesAreHealthy();
  }

  // A dry-run create runs admission and stores nothing: the webhook's answer, from its cache.
  private static String admittedOptions() {
    Deployment admitted =
        client
            .resource(
                TestDeployments.deployment("probe")
                    .governed()
                    .annotation("runtimepolicy.io/policy", "after")
                    .cpuLimit("1")
                    .build())
            .inNamespace(NS)
            .dryRun()
            .create();
    return EnvValues.of(admitted, "app", "JAVA_TOOL_OPTIONS");
  }
}
