package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping lets requests in flight finish, within a bounded wait. */
class AdmissionServerShutdownTest {
  private static TestCertificates.Pem pem;
  @TempDir static Path certDir;

  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private AdmissionServer server;
  private WebhookClient client;

  @BeforeAll
  static void certificate() {
    pem =
        TestCertificates.selfSigned("webhook", TestCertificates.KeyFormat.EC_PKCS8)
            .writeTo(certDir);
  }

  @BeforeEach
  void start() {
    var config =
        WebhookServerConfig.defaults(0, certDir.resolve("tls.crt"), certDir.resolve("tls.key"));
    server =
        new AdmissionServer(
                config,
                Reviews.warnings(
                    (deployment, namespace) -> {
                      entered.countDown();
                      try {
                        release.await(30, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return List.of("slow policy");
                    }))
            .start();
    client = new WebhookClient(pem, server.port());
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(Duration.ZERO);
  }

  @Test
  void stopFinishesTheRequestInFlightThenRefusesConnections() throws Exception {
    var inFlight = client.postAsync(Reviews.deploymentCreate("in-flight"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    var stopped = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(20)));
    await().atMost(Duration.ofSeconds(10)).until(server::draining);
    assertThat(stopped).isNotDone();
    release.countDown();

    var response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("connection")).hasValue("close");
    var review = Reviews.response(response.body().getBytes(StandardCharsets.UTF_8)).getResponse();
    assertThat(review.getUid()).isEqualTo("in-flight");
    assertThat(review.getWarnings()).containsExactly("runtimepolicy: slow policy");
    stopped.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void stopGivesUpOnAStuckRequestAfterTheGrace() throws Exception {
    try (var socket = client.connect()) {
      String body = new String(Reviews.deploymentCreate("stuck"), StandardCharsets.UTF_8);
      WebhookClient.write(socket, WebhookClient.headers(body.length()) + body);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      server.stop(Duration.ofMillis(500));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(Duration.ofSeconds(3));
      WebhookClient.awaitClosed(socket);
    }
  }

  @Test
  void stopIsIdempotentAndPortStaysReadable() throws IOException {
    int port = server.port();
    release.countDown();

    server.stop(Duration.ofSeconds(1));
    server.stop(Duration.ofSeconds(1));

    assertThat(server.port()).isEqualTo(port);
  }
}
