package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runtimepolicy.operator.webhook.TestCertificates.KeyFormat;
import io.runtimepolicy.operator.webhook.TestCertificates.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New certificate files reach new connections without a restart; files that do not load leave the
 * served certificate alone. The files change the way the kubelet changes a Secret volume: a new
 * timestamped directory, then an atomic swap of the {@code ..data} symlink.
 */
class CertificateReloadTest {
  private static final Pem FIRST = TestCertificates.selfSigned("first", KeyFormat.RSA_PKCS1);
  private static final Pem SECOND = TestCertificates.selfSigned("second", KeyFormat.EC_PKCS8);
  private static final Pem THIRD = TestCertificates.selfSigned("third", KeyFormat.RSA_PKCS8);

  @TempDir Path volume;
  private int generation;
  private AdmissionServer server;

  @BeforeEach
  void start() throws IOException {
    publish(FIRST.cert(), FIRST.key());
    Files.createSymbolicLink(volume.resolve("tls.crt"), Path.of("..data/tls.crt"));
    Files.createSymbolicLink(volume.resolve("tls.key"), Path.of("..data/tls.key"));
    var config =
        WebhookServerConfig.defaults(0, volume.resolve("tls.crt"), volume.resolve("tls.key"));
    server =
        new AdmissionServer(config, Reviews.warnings((d, ns) -> List.of()), Duration.ofMillis(200))
            .start();
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(1));
  }

  @Test
  void newConnectionsSeeTheSwappedCertificate() throws Exception {
    assertThat(servedCertificate()).isEqualTo(FIRST.certificate());

    publish(SECOND.cert(), SECOND.key());

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(servedCertificate()).isEqualTo(SECOND.certificate()));
    assertThat(server.certificateProblem()).isEmpty();
  }

  @Test
  void aPairThatDoesNotLoadKeepsTheCurrentCertificate() throws Exception {
    publish(THIRD.cert(), FIRST.key());

    await().atMost(Duration.ofSeconds(10)).until(() -> server.certificateProblem().isPresent());
    assertThat(server.certificateProblem().orElseThrow()).contains("does not belong");
    assertThat(servedCertificate()).isEqualTo(FIRST.certificate());

    publish(SECOND.cert(), SECOND.key());

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(servedCertificate()).isEqualTo(SECOND.certificate()));
    assertThat(server.certificateProblem()).isEmpty();
  }

  @Test
  void handshakesDuringReloadsAllSucceed() throws Exception {
    AtomicBoolean reloading = new AtomicBoolean(true);
    AtomicInteger handshakes = new AtomicInteger();
    var client =
        CompletableFuture.runAsync(
            () -> {
              while (reloading.get()) {
                try {
                  servedCertificate();
                } catch (Exception e) {
                  throw new IllegalStateException("handshake failed during a reload", e);
                }
                handshakes.incrementAndGet();
              }
            });

    for (Pem next : List.of(SECOND, THIRD, FIRST, SECOND)) {
      publish(next.cert(), next.key());
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(servedCertificate()).isEqualTo(next.certificate()));
    }
    reloading.set(false);

    client.get(10, TimeUnit.SECONDS);
    assertThat(handshakes).hasPositiveValue();
  }

  /**
   * Issue 15's rotation cell: 50 admission calls a second, each on a new connection (so each
   * handshakes), while the certificate is swapped four times: every call is answered 200.
   */
  @Test
  void admissionCallsAtFiftyPerSecondAllSucceedWhileTheCertificateRotates() throws Exception {
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    SSLContext tls = trustingAll();
    byte[] body = Reviews.deploymentCreate("rotation");
    Runnable call =
        () -> {
          try {
            HttpClient fresh =
                HttpClient.newBuilder()
                    .sslContext(tls)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            statuses.add(
                fresh
                    .send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "https://127.0.0.1:" + server.port() + ReviewEndpoint.PATH))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode());
          } catch (Exception e) {
            failures.add(e);
          }
        };
    // 50 a second, each call on a worker of its own so a slow one does not slow the rate.
    var ticks = load.scheduleAtFixedRate(() -> callers.execute(call), 0, 20, TimeUnit.MILLISECONDS);
    try {
      int round = 0;
      for (Pem next : List.of(SECOND, THIRD, FIRST, SECOND)) {
        publish(next.cert(), next.key());
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(servedCertificate()).isEqualTo(next.certificate()));
        // At least 50 more calls under each certificate before the next swap.
        int atLeast = ++round * 50;
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.size() >= atLeast);
      }
    } finally {
      ticks.cancel(false);
      load.shutdown();
      callers.shutdown();
      assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(failures).as("failed admission calls").isEmpty();
    assertThat(statuses).isNotEmpty().allSatisfy(code -> assertThat(code).isEqualTo(200));
    System.out.printf(
        "CertificateReloadTest: %d admission calls during 4 rotations, 0 failed%n",
        statuses.size());
  }

  private void publish(String cert, String key) throws IOException {
    Path data = Files.createDirectory(volume.resolve("..gen_" + ++generation));
    Files.writeString(data.resolve("tls.crt"), cert);
    Files.writeString(data.resolve("tls.key"), key);
    Path next = Files.createSymbolicLink(volume.resolve("..data_tmp"), data.getFileName());
    Files.move(next, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }

  private Certificate servedCertificate() throws Exception {
    try (SSLSocket socket =
        (SSLSocket) trustingAll().getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  private static SSLContext trustingAll() throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    for (Pem pem : List.of(FIRST, SECOND, THIRD)) {
      trusted.setCertificateEntry(
          pem.certificate().getSubjectX500Principal().getName(), pem.certificate());
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
