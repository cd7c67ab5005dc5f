package io.runtimepolicy.operator.webhook;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook's HTTPS server, a plain Netty pipeline: {@code POST /mutate-workloads}, TLS
 * 1.2 and 1.3, HTTP/1.1, total read and write deadlines per request, an idle timeout per
 * connection, a body bound and a bounded worker pool. docs/webhook.md says why Netty.
 */
public final class AdmissionServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdmissionServer.class);
  static final Duration CERT_POLL_INTERVAL = Duration.ofSeconds(5);
  static final int QUEUE_PER_WORKER = 64;

  /**
   * At least this long for a TLS handshake. The API server opens dozens of connections at once
   * after a certificate rotation: their handshakes queue on two event loops, and cutting one short
   * at the 2 s read timeout failed a call the client would still have completed.
   */
  static final Duration MIN_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final WebhookServerConfig config;
  private final Duration certPoll;
  private final Counter connected;
  // The server's own party arrives at stop; the phase advances once every request has finished.
  private final Phaser inFlight = new Phaser(1);
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ThreadPoolExecutor workers;
  private final ReviewEndpoint.Shared endpoint;
  private final EventLoopGroup loops =
      new NioEventLoopGroup(2, new DefaultThreadFactory("webhook", true));
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile SslContext tls;
  private CertificateReloader reloader;
  private Channel listener;
  private boolean stopped;
  private volatile boolean serving;
  private volatile int port = -1;

  public AdmissionServer(WebhookServerConfig config, WorkloadReviewer reviewer) {
    this(config, reviewer, new SimpleMeterRegistry(), CERT_POLL_INTERVAL);
  }

  /**
   * Counts the reviews it answers by kind, {@code runtimepolicy_admission_reviews_total}, and the
   * connections it accepts, {@code runtimepolicy_webhook_connections_total} (a client that reuses
   * its connections, as the API server does, opens few), and times each review from its last byte
   * read to its response written, {@code runtimepolicy_webhook_review_seconds}: the server's own
   * share of the call the API server times.
   */
  public AdmissionServer(WebhookServerConfig config, WorkloadReviewer reviewer, MeterRegistry m) {
    this(config, reviewer, m, CERT_POLL_INTERVAL);
  }

  AdmissionServer(WebhookServerConfig config, WorkloadReviewer reviewer, Duration certPoll) {
    this(config, reviewer, new SimpleMeterRegistry(), certPoll);
  }

  private AdmissionServer(
      WebhookServerConfig config, WorkloadReviewer reviewer, MeterRegistry m, Duration certPoll) {
    this.config = config;
    this.certPoll = certPoll;
    this.connected = m.counter("runtimepolicy.webhook.connections");
    Timer review = Timer.builder("runtimepolicy.webhook.review").register(m);
    int threads = config.workers();
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(threads * QUEUE_PER_WORKER),
            new DefaultThreadFactory("webhook-worker", true));
    var handler =
        new AdmissionReviewHandler(
            reviewer,
            kind -> m.counter("runtimepolicy.admission.reviews", "kind", kind).increment());
    this.endpoint =
        new ReviewEndpoint.Shared(
            handler, workers, inFlight, draining, nanos -> review.record(nanos, NANOSECONDS));
  }

  /**
   * Reads and checks the certificate, binds the port and starts serving.
   *
   * @throws IllegalStateException when the certificate does not load or the port cannot be bound
   */
  public synchronized AdmissionServer start() {
    if (listener != null || stopped) {
      throw new IllegalStateException("an AdmissionServer starts once");
    }
    try {
      var material = TlsMaterial.read(config.certFile(), config.keyFile());
      var loaded = material.load();
      tls = loaded.context();
      listener =
          new ServerBootstrap()
              .group(loops)
              .channel(NioServerSocketChannel.class)
              .childHandler(new Pipeline())
              .bind(config.port())
              .sync()
              .channel();
      port = ((InetSocketAddress) listener.localAddress()).getPort();
      reloader = new CertificateReloader(config, material, next -> tls = next.context());
      reloader.start(certPoll);
      serving = true;
      log.info("Admission webhook serving on port {} with {}", port, loaded.describe());
      return this;
    } catch (Exception e) {
      stopped = true;
      release();
      throw new IllegalStateException("admission webhook server did not start: " + e, e);
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
   * Stops gracefully: no new connections, responses from now on close their connections, requests
   * in flight get up to {@code grace} to finish, then every connection is closed.
   */
  public synchronized void stop(Duration grace) {
    if (stopped || listener == null) {
      stopped = true;
      return;
    }
    stopped = true;
    serving = false;
    draining.set(true);
    reloader.stop();
    listener.close().awaitUninterruptibly();
    try {
      inFlight.awaitAdvanceInterruptibly(
          inFlight.arriveAndDeregister(), grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("Stopping the webhook with {} requests unfinished", inFlight.getRegisteredParties());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    release();
    log.info("Admission webhook stopped");
  }

  /** Listening and not stopping. Not synchronized: readiness asks while {@link #stop} waits. */
  public boolean serving() {
    return serving;
  }

  /** {@link #stop(Duration)} with a grace of the read plus the write timeout. */
  @Override
  public void close() {
    stop(config.readTimeout().plus(config.writeTimeout()));
  }

  boolean draining() {
    return draining.get();
  }

  Optional<String> certificateProblem() {
    return reloader == null ? Optional.empty() : reloader.problem();
  }

  private void release() {
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdownNow();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /**
   * One connection's handlers: TLS with the certificate current when it was accepted, the write
   * deadline (a response is one write), the idle timeout, the read deadline around the HTTP codec,
   * the body bound, the endpoint.
   */
  private final class Pipeline extends ChannelInitializer<SocketChannel> {
    @Override
    protected void initChannel(SocketChannel channel) {
      connections.add(channel);
      connected.increment();
      SslHandler tlsHandler = tls.newHandler(channel.alloc());
      long read = config.readTimeout().toMillis();
      tlsHandler.setHandshakeTimeoutMillis(Math.max(read, MIN_HANDSHAKE_TIMEOUT.toMillis()));
      var deadlines = new RequestDeadlines(read);
      channel
          .pipeline()
          .addLast(tlsHandler)
          .addLast(new WriteTimeoutHandler(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS))
          .addLast(
              new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
          .addLast(deadlines.requestStart())
          .addLast(new HttpServerCodec(4096, ReviewEndpoint.MAX_HEADER_BYTES, 8192))
          .addLast(deadlines.requestEnd())
          .addLast(ReviewEndpoint.boundedBody((int) config.maxBodyBytes()))
          .addLast(new ReviewEndpoint(endpoint));
    }
  }
}
