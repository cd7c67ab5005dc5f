package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server as the API server's Go client uses it: that client dials connections ahead of need and
 * may leave a fresh one unused for seconds, and it does not retry a request that fails on a
 * connection it never used. So a connection with no request on it, fresh or kept alive, must be
 * left to the idle timeout; only a request that has begun runs against the read deadline.
 */
class AdmissionServerIdleConnectionsTest {
  private static final Logger log =
      LoggerFactory.getLogger(AdmissionServerIdleConnectionsTest.class);
  private static final Duration READ_TIMEOUT = Duration.ofMillis(300);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration IDLE = READ_TIMEOUT.multipliedBy(2);
  private static final Duration SLACK = Duration.ofMillis(750);
  private static final Duration HANDSHAKE_SKEW = Duration.ofMillis(250);
  private static TestCertificates.Pem pem;
  @TempDir static Path certDir;

  private AdmissionServer server;
  private WebhookClient client;

  @BeforeAll
  static void certificate() {
    pem =
        TestCertificates.selfSigned("webhook", TestCertificates.KeyFormat.RSA_PKCS8)
            .writeTo(certDir);
  }

  @BeforeEach
  void start() {
    var config =
        new WebhookServerConfig(
            0,
            certDir.resolve("tls.crt"),
            certDir.resolve("tls.key"),
            READ_TIMEOUT,
            Duration.ofSeconds(1),
            IDLE_TIMEOUT,
            3L * 1024 * 1024,
            2);
    server = new AdmissionServer(config, Reviews.warnings((d, ns) -> List.of("w"))).start();
    client = new WebhookClient(pem, server.port());
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(1));
  }

  @Test
  void connectionsDialedAheadAndLeftUnusedPastTheReadTimeoutAreAnswered() throws Exception {
    List<SSLSocket> dialed = new ArrayList<>();
    List<Long> handshakeDone = new ArrayList<>();
    List<String> reviews = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        reviews.add(review("ahead-" + i));
        dialed.add(client.connect());
        handshakeDone.add(System.nanoTime());
      }
      idle();

      for (int i = 0; i < dialed.size(); i++) {
        Duration unused = since(handshakeDone.get(i));
        String response = exchange(dialed.get(i), reviews.get(i));
        log.info(
            "connection {} unused for {} ms after its handshake, then answered",
            i,
            unused.toMillis());
        assertUnusedPastTheReadTimeout(unused);
        assertThat(response).startsWith("HTTP/1.1 200").contains("ahead-" + i);
      }
    } finally {
      for (SSLSocket socket : dialed) {
        socket.close();
      }
    }
  }

  @Test
  void keptAliveConnectionIdlePastTheReadTimeoutIsAnsweredAgain() throws Exception {
    String first = review("first");
    String second = review("second");
    try (SSLSocket socket = client.connect()) {
      assertThat(exchange(socket, first)).startsWith("HTTP/1.1 200").contains("first");
      long answered = System.nanoTime();
      idle();

      Duration unused = since(answered);
      String response = exchange(socket, second);
      log.info("kept-alive connection idle for {} ms, then answered", unused.toMillis());
      assertUnusedPastTheReadTimeout(unused);
      assertThat(response).startsWith("HTTP/1.1 200").contains("second");
    }
  }

  @Test
  void unusedConnectionIsClosedByTheIdleTimeoutAlone() throws IOException {
    try (SSLSocket socket = client.connect()) {
      long handshakeDone = System.nanoTime();

      Duration open = since(handshakeDone, WebhookClient.awaitClosed(socket));
      log.info(
          "unused connection closed by the server after {} ms (idle timeout {} ms)",
          open.toMillis(),
          IDLE_TIMEOUT.toMillis());
      // The server's idle clock starts when it finishes the handshake, a little before ours.
      assertThat(open)
          .isGreaterThan(IDLE_TIMEOUT.minus(HANDSHAKE_SKEW))
          .isLessThan(IDLE_TIMEOUT.plus(SLACK));
    }
  }

  // The deliberate fault: no request on the connection for longer than the read timeout.
  private static void idle() throws InterruptedException {
    Thread.sleep(IDLE.toMillis());
  }

  // A wait past the idle timeout would be closed for a good reason and prove nothing here.
  private static void assertUnusedPastTheReadTimeout(Duration unused) {
    assertThat(unused).isGreaterThan(READ_TIMEOUT).isLessThan(IDLE_TIMEOUT);
  }

  // Built before connecting, so the time a connection sits unused is only the deliberate idle.
  private static String review(String uid) {
    String body = new String(Reviews.deploymentCreate(uid), StandardCharsets.UTF_8);
    return WebhookClient.headers(body.getBytes(StandardCharsets.UTF_8).length) + body;
  }

  private static String exchange(SSLSocket socket, String request) throws IOException {
    WebhookClient.write(socket, request);
    return WebhookClient.readResponse(socket);
  }

  private static Duration since(long startNanos) {
    return since(startNanos, System.nanoTime());
  }

  private static Duration since(long startNanos, long endNanos) {
    return Duration.ofNanos(endNanos - startNanos);
  }
}
