package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runtimepolicy.testing.WebhookRegistrations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The admission webhook alone: AdmissionReviews posted straight to it at fixed rates, next to the
 * same load on a trivial handler in its own JVM (the limit). The reviews are creates of governed
 * Deployments under the {@code default} policy, which is not created in {@link #NAMESPACE}: the
 * webhook computes them with the default settings and answers each with a JSONPatch (checked before
 * the load). Creates through the API server are {@link AdmissionBench}.
 */
final class WebhookBench {

  static final String NAMESPACE = "bench-webhook";

  /** One rate: the trivial handler's figures and the operator's. */
  record Direct(int rate, WebhookLoad.Result trivial, WebhookLoad.Result operator) {}

  private final BenchCluster cluster;
  private final BenchOptions options;
  private final Cleanup cleanup;
  private final SSLContext tls;

  WebhookBench(BenchCluster cluster, BenchOptions options, Cleanup cleanup) {
    this.cluster = cluster;
    this.options = options;
    this.cleanup = cleanup;
    this.tls = Tls.trusting(cluster.certificate().caPem());
  }

  List<Direct> direct(int operatorPort, java.nio.file.Path logs) {
    return direct(
        operatorPort, logs, AdmissionBodies.deployment(NAMESPACE), options.webhookRates());
  }

  /**
   * {@code bodies} at each of {@code rates}, to the trivial handler and then to the operator; the
   * operator must answer them with a patch.
   */
  List<Direct> direct(
      int operatorPort, java.nio.file.Path logs, AdmissionBodies bodies, List<Integer> rates) {
    int trivialPort =
        TrivialWebhookProcess.start(
            cluster, options.operatorJavaOptions(), logs.resolve("trivial-webhook.log"), cleanup);
    System.out.printf("bench: AdmissionReview body: %d bytes%n", bodies.size());
    assertMutates(operatorPort, bodies);
    WebhookLoad toTrivial = new WebhookLoad(tls);
    WebhookLoad toOperator = new WebhookLoad(tls);
    List<Direct> results = new ArrayList<>();
    try {
      for (int rate : rates) {
        results.add(
            new Direct(
                rate,
                measure(toTrivial, trivialPort, rate, bodies),
                measure(toOperator, operatorPort, rate, bodies)));
      }
    } finally {
      cleanup.runNow("trivial webhook");
    }
    return results;
  }

  private WebhookLoad.Result measure(WebhookLoad load, int port, int rate, AdmissionBodies bodies) {
    URI target = URI.create("https://127.0.0.1:" + port + "/mutate-workloads");
    load.run(target, rate, options.webhookWarmup(), bodies::body);
    return load.run(target, rate, options.webhookDuration(), bodies::body);
  }

  /**
   * One review posted before the load: the operator's answer must carry a JSONPatch, so the load
   * below exercises the mutating path (the default policy's settings: it is not created here).
   */
  private void assertMutates(int operatorPort, AdmissionBodies bodies) {
    HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).build();
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("https://127.0.0.1:" + operatorPort + WebhookRegistrations.PATH))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.body(-1)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      AdmissionReview review = Serialization.unmarshal(response.body(), AdmissionReview.class);
      String patch = review.getResponse().getPatch();
      if (patch == null || patch.isEmpty()) {
        throw new IllegalStateException("the webhook computed no patch: " + response.body());
      }
      System.out.printf(
          "bench: the operator answers the body with a %d-byte JSONPatch%n",
          Base64.getDecoder().decode(patch).length);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
