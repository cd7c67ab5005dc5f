package io.runtimepolicy.operator.webhook;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the certificate and key files and hands each new pair that loads to the server, which uses
 * it for the connections it accepts from then on. Content, not modification time, decides:
 * Kubernetes swaps Secret volumes through symlinks. A pair that does not load is logged once and
 * the server keeps its current certificate.
 */
final class CertificateReloader {
  private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

  private final Path certFile;
  private final Path keyFile;
  private final Consumer<TlsMaterial.Loaded> serve;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("webhook-tls", true));
  private TlsMaterial current;
  private TlsMaterial lastRejected;
  private volatile String lastProblem;

  CertificateReloader(
      WebhookServerConfig config, TlsMaterial current, Consumer<TlsMaterial.Loaded> serve) {
    this.certFile = config.certFile();
    this.keyFile = config.keyFile();
    this.current = current;
    this.serve = serve;
  }

  // A fixed delay, not a rate: a slow disk must not stack up polls.
  void start(Duration interval) {
    poller.scheduleWithFixedDelay(
        this::reload, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop() {
    poller.shutdownNow();
  }

  /** Why the files on disk are not being served, while that is so. */
  Optional<String> problem() {
    return Optional.ofNullable(lastProblem);
  }

  private void reload() {
    try {
      TlsMaterial read = TlsMaterial.read(certFile, keyFile);
      if (read.equals(current)) {
        lastProblem = null;
      } else if (!read.equals(lastRejected)) {
        lastRejected = read;
        TlsMaterial.Loaded loaded = read.load();
        serve.accept(loaded);
        current = read;
        lastProblem = null;
        log.info("Webhook certificate reloaded: {}", loaded.describe());
      }
    } catch (Exception e) {
      rejected(e);
    }
  }

  // One line per distinct problem, not one per poll.
  private void rejected(Exception e) {
    String problem = e.toString();
    if (!problem.equals(lastProblem)) {
      lastProblem = problem;
      log.warn(
          "Keeping the current webhook certificate: the files on disk do not load: {}", problem);
    }
  }
}
