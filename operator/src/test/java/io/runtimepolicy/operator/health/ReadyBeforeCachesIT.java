package io.runtimepolicy.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.runtimepolicy.operator.InProcessOperator;
import io.runtimepolicy.operator.OperatorMain;
import io.runtimepolicy.operator.RunningOperator;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.operator.WithOperator;
import io.runtimepolicy.operator.config.OperatorConfig;
import io.runtimepolicy.testing.Readyz;
import io.runtimepolicy.testing.SelfSignedCertificate;
import io.runtimepolicy.testing.WithRealApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: /readyz answers 200 while the operator's start is still listing its workload caches.
 * The webhook needs only the policies, which an informer of their own lists first; over 100,000
 * workloads the caches take a minute. Here 3,000 Deployments of 100 annotations each make the
 * workload lists take a second or more where the policies' takes milliseconds.
 */
@WithRealApiServer
class ReadyBeforeCachesIT extends WithOperator {

  private static final String NS = "ready-early";
  private static final int WORKLOADS = 3000;

  @TempDir static Path dir;

  @Test
  void readyzAnswers200BeforeTheWorkloadCachesHaveListed() throws Exception {
    TestPolicies.installCrd(client);
    namespace(NS);
    createWorkloads();
    int health = InProcessOperator.freePort();
    OperatorConfig config =
        OperatorConfig.fromEnv(
            InProcessOperator.env(
                Map.of("RUNTIMEPOLICY_HEALTH_PORT", Integer.toString(health)),
                SelfSignedCertificate.create(dir),
                InProcessOperator.freePort()));
    ExecutorService starter = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<RunningOperator> start =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return OperatorMain.start(config, client);
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              },
              starter);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .ignoreExceptions()
          .until(() -> Readyz.get(health).status() == 200 || start.isDone());
      boolean startReturned = start.isDone();
      operator = start.get(2, TimeUnit.MINUTES);
      assertThat(startReturned)
          .as(
              "the operator's start, which lists %d Deployments, had returned by /readyz's 200",
              WORKLOADS)
          .isFalse();
      assertThat(Readyz.get(health).status()).isEqualTo(200);
    } finally {
      starter.shutdownNow();
    }
  }

  private static void createWorkloads() {
    var annotations = TestDeployments.deployment("x");
    IntStream.range(0, 100).forEach(i -> annotations.annotation("example.com/k" + i, "v" + i));
    Map<String, String> many = annotations.build().getMetadata().getAnnotations();
    ExecutorService creators = Executors.newFixedThreadPool(8);
    try {
      CompletableFuture.allOf(
              IntStream.range(0, WORKLOADS)
                  .mapToObj(
                      i ->
                          CompletableFuture.runAsync(
                              () -> {
                                Deployment d = TestDeployments.deployment("w-" + i).build();
                                d.getMetadata().setAnnotations(many);
                                client.apps().deployments().inNamespace(NS).resource(d).create();
                              },
                              creators))
                  .toArray(CompletableFuture[]::new))
          .join();
    } finally {
      creators.shutdownNow();
    }
  }
}
