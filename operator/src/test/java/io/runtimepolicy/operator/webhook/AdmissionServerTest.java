package io.runtimepolicy.operator.webhook;

import static io.runtimepolicy.operator.webhook.Reviews.DEPLOYMENT;
import static io.runtimepolicy.operator.webhook.Reviews.deployment;
import static io.runtimepolicy.operator.webhook.Reviews.json;
import static io.runtimepolicy.operator.webhook.Reviews.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The running server over real TLS on 127.0.0.1: routing, status codes, body bound, load. */
class AdmissionServerTest {
  private static final long MAX_BODY = 3L * 1024 * 1024;
  private static TestCertificates.Pem pem;
  @TempDir static Path certDir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private AdmissionServer server;
  private WebhookClient client;

  @BeforeAll
  static void certificate() {
    pem =
        TestCertificates.selfSigned("webhook", TestCertificates.KeyFormat.RSA_PKCS1)
            .writeTo(certDir);
  }

  @BeforeEach
  void start() {
    var config =
        new WebhookServerConfig(
            0,
            certDir.resolve("tls.crt"),
            certDir.resolve("tls.key"),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            MAX_BODY,
            4);
    server =
        new AdmissionServer(
                config,
                Reviews.warnings((d, ns) -> List.of("seen " + d.getMetadata().getName())),
                registry)
            .start();
    client = new WebhookClient(pem, server.port());
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(1));
  }

  @Test
  void answersAReviewWithItsUidAndWarnings() {
    var response = client.post(Reviews.deploymentCreate("uid-42"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    var review = Reviews.response(response.body().getBytes(StandardCharsets.UTF_8)).getResponse();
    assertThat(review.getUid()).isEqualTo("uid-42");
    assertThat(review.getAllowed()).isTrue();
    assertThat(review.getWarnings()).containsExactly("runtimepolicy: seen checkout");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "<xml/>", "{\"apiVersion\":\"admission.k8s.io/v1\"}"})
  void malformedBodiesAre400(String body) {
    var response = client.post(body.getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void wrongApiVersionIs400() {
    var review = request("u", DEPLOYMENT, "CREATE", deployment("d"));
    review.setApiVersion("admission.k8s.io/v1beta1");

    var response = client.post(json(review));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("admission.k8s.io/v1");
  }

  @Test
  void missingObjectIs400() {
    var response = client.post(json(request("u", DEPLOYMENT, "UPDATE", null)));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("request.object");
  }

  @Test
  void otherPathsAndMethodsAreRefused() {
    var wrongPath =
        client.send(client.request("/mutate").POST(HttpRequest.BodyPublishers.noBody()).build());
    var get = client.send(client.request(ReviewEndpoint.PATH).GET().build());

    assertThat(wrongPath.statusCode()).isEqualTo(404);
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void declaredBodyOverTheLimitIs413AndTheConnectionCloses() throws IOException {
    try (var socket = client.connect()) {
      WebhookClient.write(socket, WebhookClient.headers(4 * 1024 * 1024));

      assertThat(WebhookClient.readResponse(socket)).startsWith("HTTP/1.1 413");
      WebhookClient.awaitClosed(socket);
    }
  }

  @Test
  void fourMebibytePostIsRefusedWithoutHanging() throws Exception {
    byte[] body = new byte[4 * 1024 * 1024];

    var outcome =
        client
            .postAsync(body)
            .handle((response, error) -> response == null ? -1 : response.statusCode());

    // 413, or a reset while the client is still sending: either way answered, not hanging.
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isIn(413, -1);
  }

  @Test
  void chunkedBodyOverTheLimitIsCutOff() throws IOException {
    try (var socket = client.connect()) {
      WebhookClient.write(
          socket,
          "POST "
              + ReviewEndpoint.PATH
              + " HTTP/1.1\r\nHost: x\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n");
      String chunk = Integer.toHexString(64 * 1024) + "\r\n" + "a".repeat(64 * 1024) + "\r\n";
      try {
        for (int sent = 0; sent <= MAX_BODY / (64 * 1024); sent++) {
          WebhookClient.write(socket, chunk);
        }
        assertThat(WebhookClient.readResponse(socket)).startsWith("HTTP/1.1 413");
      } catch (IOException resetWhileSending) {
        // the server closed first; what matters is that it did
      }
      WebhookClient.awaitClosed(socket);
    }
  }

  @Test
  void countsAndTimesReviewsAndAKeptAliveClientReusesItsConnection() {
    for (int i = 0; i < 20; i++) {
      assertThat(client.post(Reviews.deploymentCreate("kept-" + i)).statusCode()).isEqualTo(200);
    }

    assertThat(registry.counter("runtimepolicy.admission.reviews", "kind", "Deployment").count())
        .isEqualTo(20);
    // Timed once the response is written, which can be just after the client has read it.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(registry.timer("runtimepolicy.webhook.review").count()).isEqualTo(20));
    // One, or two when the client's pool takes the first back a moment after its response.
    assertThat(registry.counter("runtimepolicy.webhook.connections").count()).isBetween(1.0, 2.0);
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheirOrderOnTheirConnection() throws IOException {
    try (var socket = client.connect()) {
      String first = new String(Reviews.deploymentCreate("first"), StandardCharsets.UTF_8);
      String second = new String(Reviews.deploymentCreate("second"), StandardCharsets.UTF_8);
      WebhookClient.write(
          socket,
          WebhookClient.headers(first.length())
              + first
              + WebhookClient.headers(second.length())
              + second);

      assertThat(WebhookClient.readResponse(socket)).startsWith("HTTP/1.1 200").contains("first");
      assertThat(WebhookClient.readResponse(socket)).startsWith("HTTP/1.1 200").contains("second");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void servesTls12And13(String protocol) throws Exception {
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(new String[] {protocol});
    HttpClient pinned =
        HttpClient.newBuilder()
            .sslContext(pem.trustingIt())
            .sslParameters(parameters)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    var response =
        pinned.send(
            client
                .request(ReviewEndpoint.PATH)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Reviews.deploymentCreate("t")))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  @Test
  void refusesTls11() throws Exception {
    SSLContext context = pem.trustingIt();
    try (var socket =
        (javax.net.ssl.SSLSocket)
            context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setEnabledProtocols(new String[] {"TLSv1.1"});
      socket.setSoTimeout(5_000);

      org.assertj.core.api.Assertions.assertThatThrownBy(socket::startHandshake)
          .isInstanceOf(javax.net.ssl.SSLException.class);
    }
  }

  @Test
  void answersTwoHundredConcurrentRequestsEachWithItsOwnUid() {
    var responses =
        IntStream.range(0, 200)
            .mapToObj(
                i ->
                    client.postAsync(
                        json(request("uid-" + i, DEPLOYMENT, "CREATE", deployment("d" + i)))))
            .toList();

    CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();
    for (int i = 0; i < responses.size(); i++) {
      var response = responses.get(i).join();
      assertThat(response.statusCode()).isEqualTo(200);
      var review = Reviews.response(response.body().getBytes(StandardCharsets.UTF_8)).getResponse();
      assertThat(review.getUid()).isEqualTo("uid-" + i);
      assertThat(review.getWarnings()).containsExactly("runtimepolicy: seen d" + i);
    }
  }
}
