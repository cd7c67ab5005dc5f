package io.runtimepolicy.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runtimepolicy.api.v1alpha1.RuntimePolicySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mapper only asks for the default policy; its create runs on the provisioner's thread. */
class DefaultPolicyProvisionerTest {

  private final CountDownLatch received = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean answered = new AtomicBoolean();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private KubernetesClient client;

  @BeforeEach
  void apiServerThatHoldsEveryRequest() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          received.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          answered.set(true);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(201, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                    .build())
            .build();
  }

  @AfterEach
  void stop() {
    release.countDown();
    client.close();
    server.stop(0);
  }

  @Test
  void theMapperReturnsWhileTheCreateOfTheDefaultPolicyIsStillWaitingForTheApiServer()
      throws Exception {
    try (DefaultPolicyProvisioner provisioner =
        new DefaultPolicyProvisioner(
            client, new RuntimePolicySpec(), PolicyCache.withoutPolicies())) {
      WorkloadMapper<Deployment> mapper =
          new WorkloadMapper<>("Deployment", provisioner, ns -> true, (p, w) -> {}, w -> {});

      assertThat(mapper.toPrimaryResourceIDs(governed()))
          .containsExactly(new ResourceID("default", "shop"));

      assertThat(answered).as("answered before the mapper returned").isFalse();
      assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(requests)
          .containsExactly("POST /apis/runtimepolicy.io/v1alpha1/namespaces/shop/runtimepolicies");
      release.countDown();
    }
  }

  private static Deployment governed() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("app")
        .withNamespace("shop")
        .withAnnotations(Map.of("runtimepolicy.io/java-tuning", "enabled"))
        .endMetadata()
        .build();
  }
}
