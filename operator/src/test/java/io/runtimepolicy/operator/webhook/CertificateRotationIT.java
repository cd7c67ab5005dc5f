package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runtimepolicy.operator.InProcessOperator;
import io.runtimepolicy.operator.LogCapture;
import io.runtimepolicy.operator.RunningOperator;
import io.runtimepolicy.operator.TestDeployments;
import io.runtimepolicy.operator.TestPolicies;
import io.runtimepolicy.testing.EnvValues;
import io.runtimepolicy.testing.SelfSignedCertificate;
import io.runtimepolicy.testing.WebhookRegistrations;
import io.runtimepolicy.testing.WithRealApiServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's rotation cell through the API server: 50 server-side dry-run creates a second, each
 * one an admission call from kube-apiserver to the operator's webhook, while the serving
 * certificate is rotated four times (one CA, the one in the registration's caBundle; the files
 * swapped as the kubelet swaps a Secret volume). The webhook is registered with {@code
 * failurePolicy: Ignore}, so a failed call would not fail the create: it would come back untuned,
 * which is what is counted.
 */
@WithRealApiServer
class CertificateRotationIT {

  private static final String NS = "rotation";
  private static final int ROTATIONS = 4;
  private static final int BURST = 50;
  private static final String MANAGED_FLAG = "-XX:ActiveProcessorCount=2";

  static KubernetesClient client;
  @TempDir static Path dir;
  static List<SelfSignedCertificate> certificates;
  static Path volume;
  static int generation;
  static RunningOperator operator;

  @BeforeAll
  static void start() throws Exception {
    certificates = SelfSignedCertificate.series(dir.resolve("issued"), ROTATIONS + 1);
    volume = Files.createDirectories(dir.resolve("volume"));
    publish(certificates.get(0));
    Files.createSymbolicLink(volume.resolve("tls.crt"), Path.of("..data/tls.crt"));
    Files.createSymbolicLink(volume.resolve("tls.key"), Path.of("..data/tls.key"));
    TestPolicies.installCrd(client);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    operator =
        InProcessOperator.start(
            client,
            Map.of("RUNTIMEPOLICY_WATCH_NAMESPACES", NS),
            new SelfSignedCertificate(
                volume.resolve("tls.crt"), volume.resolve("tls.key"), certificates.get(0).caPem()));
    // The longest timeout the chart allows: a burst of 50 on a busy 2-core machine can take
    // longer than the default 3 s to answer, and that would be load, not the rotation.
    WebhookRegistrations.registerAndAwait(
        client,
        webhookPort(),
        certificates.get(0).caPem(),
        InProcessOperator.OPERATOR_NAMESPACE,
        NS,
        "webhook.timeoutSeconds=5");
  }

  /**
   * The API server's own account of each call that failed open ("Failed calling webhook, failing
   * open ..."; kube-api-test logs its output at debug), so a red run says why: a handshake, or a
   * machine too busy to answer in time.
   */
  private static List<String> failedOpen(LogCapture apiServer) {
    return apiServer.messages().stream()
        .filter(m -> m.contains("failing open"))
        .map(m -> m.length() > 400 ? m.substring(m.length() - 400) : m)
        .toList();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void fiftyAdmissionCallsASecondThroughTheApiServerAllTunedWhileTheCertificateRotates()
      throws Exception {
    Deployment governed = TestDeployments.deployment("rotation").governed().cpuLimit("2").build();
    governed.getMetadata().setNamespace(NS);
    AtomicInteger tuned = new AtomicInteger();
    List<String> failed = new CopyOnWriteArrayList<>();
    Runnable call =
        () -> {
          try {
            Deployment admitted = client.resource(governed).dryRun().create();
            String options = EnvValues.of(admitted, "app", "JAVA_TOOL_OPTIONS");
            if (options != null && options.contains(MANAGED_FLAG)) {
              tuned.incrementAndGet();
            } else {
              failed.add("admitted untuned: JAVA_TOOL_OPTIONS=" + options);
            }
          } catch (RuntimeException e) {
            failed.add(e.toString());
          }
        };
    LogCapture apiServer = LogCapture.of("io.fabric8.kubeapitest", Level.DEBUG);
    ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
    ExecutorService callers = Executors.newFixedThreadPool(BURST);
    Set<Integer> connections = ConcurrentHashMap.newKeySet();
    int port = webhookPort();
    List<Integer> newConnections = new ArrayList<>();
    long started = System.nanoTime();
    // 50 a second, in one burst each second: more at once than the API server keeps idle
    // connections to a webhook (client-go keeps 25), so it opens new ones, each a TLS handshake
    // under whatever certificate is being served at that moment. A steady trickle would ride
    // its kept-alive connections and never meet a rotated certificate.
    var ticks =
        load.scheduleAtFixedRate(
            () -> IntStream.range(0, BURST).forEach(i -> callers.execute(call)),
            0,
            1,
            TimeUnit.SECONDS);
    var sampling =
        load.scheduleAtFixedRate(
            () -> connections.addAll(clientPortsTo(port)), 0, 10, TimeUnit.MILLISECONDS);
    try {
      for (int i = 1; i <= ROTATIONS; i++) {
        SelfSignedCertificate next = certificates.get(i);
        publish(next);
        int before = connections.size();
        // The probe opens a connection every 100 ms until the new certificate is served: a
        // handshake that fails meanwhile fails the test too. The API server retries a failed
        // webhook connection, so a short window of failed handshakes shows only here.
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(() -> assertThat(servedCertificate()).isEqualTo(certificate(next)));
        // At least 50 more calls under each certificate before the next swap.
        int atLeast = (i + 1) * BURST;
        await().atMost(Duration.ofSeconds(30)).until(() -> tuned.get() + failed.size() >= atLeast);
        newConnections.add(connections.size() - before);
      }
    } finally {
      ticks.cancel(false);
      sampling.cancel(false);
      load.shutdown();
      callers.shutdown();
      assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      apiServer.close();
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    System.out.printf(
        "CertificateRotationIT: %d dry-run creates through the API server in %.1f s (%.1f/s)"
            + " during %d rotations: %d tuned, %d failed; new API server connections to the"
            + " webhook after each rotation: %s%n",
        tuned.get() + failed.size(),
        seconds,
        (tuned.get() + failed.size()) / seconds,
        ROTATIONS,
        tuned.get(),
        failed.size(),
        newConnections);
    List<String> failedOpen = failedOpen(apiServer);
    failedOpen.stream().limit(5).forEach(l -> System.out.println("API server: " + l));
    assertThat(failed)
        .as("admission calls that failed or came back untuned (API server: %s)", failedOpen)
        .isEmpty();
    assertThat(newConnections)
        .as("connections (so handshakes) the API server opened under each new certificate")
        .allSatisfy(n -> assertThat(n).isPositive());
    assertThat(tuned.get()).isGreaterThanOrEqualTo((ROTATIONS + 1) * 50);
  }

  private static void publish(SelfSignedCertificate cert) throws IOException {
    Path data = Files.createDirectory(volume.resolve("..gen_" + ++generation));
    Files.copy(cert.certFile(), data.resolve("tls.crt"));
    Files.copy(cert.keyFile(), data.resolve("tls.key"));
    Path next = Files.createSymbolicLink(volume.resolve("..data_tmp"), data.getFileName());
    Files.move(next, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static Certificate certificate(SelfSignedCertificate cert) throws Exception {
    return CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert.certFile())));
  }

  private static Certificate servedCertificate() throws Exception {
    try (SSLSocket socket =
        (SSLSocket) trustingTheCa().getSocketFactory().createSocket("127.0.0.1", webhookPort())) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  /** Local ports of established loopback connections to {@code port}: one per connection. */
  private static Set<Integer> clientPortsTo(int port) {
    Set<Integer> ports = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 3 && f[3].equals("01") && f[2].endsWith(String.format(":%04X", port))) {
            ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
          }
        }
      } catch (IOException e) {
        // No such table (no IPv6): nothing there.
      }
    }
    return ports;
  }

  private static int webhookPort() {
    return URI.create(
            client
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .list()
                .getItems()
                .get(0)
                .getWebhooks()
                .get(0)
                .getClientConfig()
                .getUrl())
        .getPort();
  }

  private static SSLContext trustingTheCa() throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(
                    certificates.get(0).caPem().getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
