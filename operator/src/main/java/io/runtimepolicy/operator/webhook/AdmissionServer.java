package io.runtimepolicy.operator.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook's HTTPS server: {@code POST /mutate-workloads} (the mutating webhook for
 * every governed kind) on its own port, TLS 1.2 and 1.3 only, HTTP/1.1, with total read and write
 * deadlines per request, an idle timeout per connection, a body size bound and a bounded worker
 * pool. See docs/webhook.md.
 */
public final class AdmissionServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdmissionServer.class);
  static final Duration CERT_POLL_INTERVAL = Duration.ofSeconds(5);
  private static final long VERTX_STEP_SECONDS = 10;

  private final WebhookServerConfig config;
  private final Duration certPollInterval;
  private final WorkerPool workers;
  private final ReviewEndpoint endpoint;
  private Vertx vertx;
  private HttpServer server;
  private volatile CertificateReloader reloader;
  private boolean stopped;
  private volatile boolean serving;
  private volatile int port = -1;

  public AdmissionServer(WebhookServerConfig config, WorkloadReviewer reviewer) {
    this(config, reviewer, CERT_POLL_INTERVAL, new AdmissionReviewHandler(reviewer));
  }

  /**
   * Counts the reviews it answers in {@code registry}: {@code
   * runtimepolicy_admission_reviews_total} by kind, which shows what the API server sends it (and
   * what its matchConditions spared it).
   */
  public AdmissionServer(
      WebhookServerConfig config, WorkloadReviewer reviewer, MeterRegistry registry) {
    this(
        config,
        reviewer,
        CERT_POLL_INTERVAL,
        new AdmissionReviewHandler(
            reviewer,
            kind -> registry.counter("runtimepolicy.admission.reviews", "kind", kind).increment()));
  }

  AdmissionServer(WebhookServerConfig config, WorkloadReviewer reviewer, Duration certPoll) {
    this(config, reviewer, certPoll, new AdmissionReviewHandler(reviewer));
  }

  private AdmissionServer(
      WebhookServerConfig config,
      WorkloadReviewer reviewer,
      Duration certPoll,
      AdmissionReviewHandler handler) {
    this.config = config;
    this.certPollInterval = certPoll;
    this.workers = new WorkerPool(config.workers());
    this.endpoint = new ReviewEndpoint(handler, workers, config.maxBodyBytes());
  }

  /**
   * Reads and checks the certificate, binds the port and starts serving.
   *
   * @throws IllegalStateException when the certificate does not load or the port cannot be bound
   */
  public synchronized AdmissionServer start() {
    if (server != null || stopped) {
      throw new IllegalStateException("an AdmissionServer starts once");
    }
    vertx = Vertx.vertx(ServerSettings.vertx());
    try {
      TlsMaterial material = TlsMaterial.read(config.certFile(), config.keyFile());
      TlsMaterial.Loaded loaded = material.load(vertx);
      ReloadableKeyManager keyManager = new ReloadableKeyManager(loaded.keys());
      server = vertx.createHttpServer(ServerSettings.http(config, keyManager));
      server.connectionHandler(this::limit).requestHandler(endpoint);
      await(server.listen());
      port = server.actualPort();
      reloader = new CertificateReloader(vertx, keyManager, config, material);
      reloader.start(certPollInterval);
      serving = true;
      X509Certificate leaf = loaded.leaf();
      log.info(
          "Admission webhook serving on port {} with {} valid until {}",
          port,
          leaf.getSubjectX500Principal(),
          leaf.getNotAfter().toInstant());
      return this;
    } catch (Exception e) {
      stopped = true;
      closeQuietly();
      throw new IllegalStateException(
          "admission webhook server did not start: " + e.getMessage(), e);
    }
  }

  /** The bound port; the real one when the configured port is 0. */
  public int port() {
    if (port < 0) {
      throw new IllegalStateException("not started");
    }
    return port;
  }

  /**
   * Stops gracefully: responses from now on close their connections, requests already in flight get
   * up to {@code grace} to finish, then every connection is closed.
   */
  public synchronized void stop(Duration grace) {
    if (stopped || server == null) {
      stopped = true;
      return;
    }
    stopped = true;
    serving = false;
    endpoint.drain();
    reloader.stop();
    try {
      if (!endpoint.inFlight().awaitNone(grace)) {
        log.warn(
            "Stopping the admission webhook with {} requests unfinished after {} ms",
            endpoint.inFlight().count(),
            grace.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly();
    log.info("Admission webhook stopped");
  }

  /**
   * Listening and not stopping. Not synchronized: readiness asks while {@link #stop} holds the lock
   * for its grace period.
   */
  public boolean serving() {
    return serving;
  }

  /** {@link #stop(Duration)} with a grace of the read plus the write timeout. */
  @Override
  public void close() {
    stop(config.readTimeout().plus(config.writeTimeout()));
  }

  boolean draining() {
    return endpoint.draining();
  }

  Optional<String> certificateProblem() {
    return reloader == null ? Optional.empty() : reloader.problem();
  }

  // Vert.x offers only inactivity timeouts; the total ones are Netty handlers added to each
  // connection's pipeline, reached through Vert.x's ConnectionBase (internal, stable through 4.x).
  private void limit(HttpConnection connection) {
    boolean installed =
        connection instanceof ConnectionBase base
            && RequestDeadlines.install(
                base.channelHandlerContext().pipeline(),
                base.channelHandlerContext().name(),
                config.readTimeout(),
                config.writeTimeout());
    if (!installed) {
      log.error(
          "Closing a webhook connection that cannot carry read and write deadlines: {}",
          connection.getClass().getName());
      connection.close();
    }
  }

  private void closeQuietly() {
    try {
      if (server != null) {
        await(server.close());
      }
    } catch (Exception e) {
      log.debug("Closing the webhook listener: {}", e.toString());
    }
    workers.shutdown();
    try {
      await(vertx.close());
    } catch (Exception e) {
      log.debug("Closing Vert.x: {}", e.toString());
    }
  }

  private static <T> T await(Future<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .get(VERTX_STEP_SECONDS, TimeUnit.SECONDS);
  }
}
