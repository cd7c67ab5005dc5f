package io.runtimepolicy.operator.webhook;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the certificate and key files and hands new content to the running server. Content, not
 * modification time, decides: Kubernetes swaps Secret volumes through symlinks. A pair that does
 * not load is logged once and the server keeps its current certificate.
 */
final class CertificateReloader {
  private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

  private final Vertx vertx;
  private final ReloadableKeyManager keyManager;
  private final Path certFile;
  private final Path keyFile;
  private final AtomicBoolean polling = new AtomicBoolean();
  private volatile TlsMaterial current;
  private volatile TlsMaterial lastRejected;
  private volatile String lastProblem;
  private long timerId = -1;

  CertificateReloader(
      Vertx vertx,
      ReloadableKeyManager keyManager,
      WebhookServerConfig config,
      TlsMaterial current) {
    this.vertx = vertx;
    this.keyManager = keyManager;
    this.certFile = config.certFile();
    this.keyFile = config.keyFile();
    this.current = current;
  }

  void start(Duration interval) {
    timerId = vertx.setPeriodic(interval.toMillis(), id -> poll());
  }

  void stop() {
    vertx.cancelTimer(timerId);
  }

  /** Why the files on disk are not being served, while that is so. */
  Optional<String> problem() {
    return Optional.ofNullable(lastProblem);
  }

  private void poll() {
    // A slow disk must not stack up polls.
    if (polling.compareAndSet(false, true)) {
      vertx.executeBlocking(this::reload, false).onComplete(ar -> polling.set(false));
    }
  }

  private Void reload() {
    TlsMaterial read;
    try {
      read = TlsMaterial.read(certFile, keyFile);
    } catch (Exception e) {
      rejected(null, e);
      return null;
    }
    if (read.equals(current)) {
      lastProblem = null;
      return null;
    }
    if (read.equals(lastRejected)) {
      return null;
    }
    try {
      TlsMaterial.Loaded loaded = read.load(vertx);
      keyManager.swap(loaded.keys());
      current = read;
      lastProblem = null;
      log.info(
          "Webhook certificate reloaded: {} valid until {}",
          loaded.leaf().getSubjectX500Principal(),
          loaded.leaf().getNotAfter().toInstant());
    } catch (Exception e) {
      rejected(read, e);
    }
    return null;
  }

  // One line per distinct problem, not one per poll.
  private void rejected(TlsMaterial material, Exception e) {
    lastRejected = material;
    String problem = e.toString();
    if (!problem.equals(lastProblem)) {
      lastProblem = problem;
      log.warn(
          "Keeping the current webhook certificate: the files on disk do not load: {}", problem);
    }
  }
}
