package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow clients are cut off by the total read deadline, and do not hold up anyone else. The only
 * timed assertions in the suite: the cut-off must come within readTimeout plus a small slack.
 */
class AdmissionServerDeadlinesTest {
  private static final Logger log = LoggerFactory.getLogger(AdmissionServerDeadlinesTest.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration SLACK = Duration.ofMillis(750);
  private static TestCertificates.Pem pem;
  @TempDir static Path certDir;

  private final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
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
            Duration.ofSeconds(30),
            3L * 1024 * 1024,
            2);
    server = new AdmissionServer(config, Reviews.warnings((d, ns) -> List.of("w"))).start();
    client = new WebhookClient(pem, server.port());
  }

  @AfterEach
  void stop() {
    pacer.shutdownNow();
    server.stop(Duration.ofSeconds(1));
  }

  @Test
  void headersThenSilenceIsCutOffWhileOthersAreServed() throws Exception {
    // A warm client, so that "meanwhile" measures the server and not the client's start-up.
    assertThat(client.post(Reviews.deploymentCreate("warm-up")).statusCode()).isEqualTo(200);
    List<SSLSocket> stalled = new ArrayList<>();
    List<Long> connectedAt = new ArrayList<>();
    List<CompletableFuture<Long>> closedAt = new ArrayList<>();
    // More stalled clients than workers: reading never occupies a worker.
    for (int i = 0; i < 6; i++) {
      SSLSocket socket = client.connect();
      connectedAt.add(System.nanoTime());
      WebhookClient.write(socket, WebhookClient.headers(500));
      stalled.add(socket);
      closedAt.add(CompletableFuture.supplyAsync(() -> WebhookClient.awaitClosed(socket)));
    }

    for (int i = 0; i < 5; i++) {
      assertThat(client.post(Reviews.deploymentCreate("meanwhile-" + i)).statusCode())
          .isEqualTo(200);
    }
    long served = System.nanoTime();

    for (int i = 0; i < stalled.size(); i++) {
      long closed = closedAt.get(i).get(10, TimeUnit.SECONDS);
      assertThat(closed).isGreaterThan(served);
      assertCutOffInTime("headers then silence", connectedAt.get(i), closed);
      stalled.get(i).close();
    }
  }

  @Test
  void silentTcpClientIsCutOffByTheHandshakeTimeout() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(15_000);
      long start = System.nanoTime();
      long closed;
      try {
        while (socket.getInputStream().read() >= 0) {
          // nothing is expected
        }
        closed = System.nanoTime();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("server left the connection open", e);
      } catch (IOException reset) {
        closed = System.nanoTime();
      }
      Duration took = Duration.ofNanos(closed - start);
      log.info("no TLS handshake: connection closed by the server after {} ms", took.toMillis());
      assertThat(took).isLessThanOrEqualTo(AdmissionServer.MIN_HANDSHAKE_TIMEOUT.plus(SLACK));
    }
  }

  @Test
  void halfTheHeadersThenSilenceIsCutOff() throws IOException {
    try (SSLSocket socket = client.connect()) {
      long start = System.nanoTime();
      WebhookClient.write(socket, "POST " + ReviewEndpoint.PATH + " HTTP/1.1\r\nHost: 127.0.");

      assertCutOffInTime("half the headers", start, WebhookClient.awaitClosed(socket));
    }
  }

  @Test
  void tricklingClientIsCutOff() throws IOException {
    try (SSLSocket socket = client.connect()) {
      long start = System.nanoTime();
      trickle(socket, requestText("trickle"));

      assertCutOffInTime("trickle", start, WebhookClient.awaitClosed(socket));
    }
  }

  @Test
  void keepAliveOutlivesTheReadTimeoutButTheNextRequestStillHasADeadline() throws Exception {
    try (SSLSocket socket = client.connect()) {
      WebhookClient.write(socket, requestText("first"));
      assertThat(WebhookClient.readResponse(socket)).startsWith("HTTP/1.1 200").contains("first");

      // Idle for longer than the read timeout: not a slow request, so the connection stays.
      var second =
          CompletableFuture.supplyAsync(
              () -> exchange(socket, requestText("second")),
              CompletableFuture.delayedExecutor(
                  READ_TIMEOUT.toMillis() * 3 / 2, TimeUnit.MILLISECONDS));
      assertThat(second.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").contains("second");

      long start = System.nanoTime();
      trickle(socket, requestText("third"));
      assertCutOffInTime(
          "trickle on a reused connection", start, WebhookClient.awaitClosed(socket));
    }
  }

  private static String requestText(String uid) {
    String body = new String(Reviews.deploymentCreate(uid), StandardCharsets.UTF_8);
    return WebhookClient.headers(body.getBytes(StandardCharsets.UTF_8).length) + body;
  }

  private static String exchange(SSLSocket socket, String request) {
    try {
      WebhookClient.write(socket, request);
      return WebhookClient.readResponse(socket);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One byte every 100 ms: never idle, never done within the read timeout. */
  private void trickle(SSLSocket socket, String request) {
    AtomicInteger next = new AtomicInteger();
    pacer.scheduleAtFixedRate(
        () -> {
          int i = next.getAndIncrement();
          if (i < request.length() && !socket.isClosed()) {
            try {
              WebhookClient.write(socket, request.substring(i, i + 1));
            } catch (IOException closedByServer) {
              next.set(request.length());
            }
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
  }

  private static void assertCutOffInTime(String what, long startNanos, long closedNanos) {
    Duration took = Duration.ofNanos(closedNanos - startNanos);
    log.info(
        "{}: connection closed by the server after {} ms (read timeout {} ms)",
        what,
        took.toMillis(),
        READ_TIMEOUT.toMillis());
    assertThat(took).isLessThanOrEqualTo(READ_TIMEOUT.plus(SLACK));
  }
}
