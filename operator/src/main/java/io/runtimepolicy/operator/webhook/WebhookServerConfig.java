package io.runtimepolicy.operator.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the admission webhook server listens and how long it lets a client take.
 *
 * @param port TCP port on all interfaces; 0 picks a free one ({@link AdmissionServer#port()})
 * @param certFile PEM certificate chain, reloaded when its content changes
 * @param keyFile PEM private key (PKCS#1 or PKCS#8 RSA, PKCS#8 or SEC1 EC), reloaded with the
 *     certificate
 * @param readTimeout total time to read one request, headers and body, from its first byte; also
 *     the TLS handshake timeout
 * @param writeTimeout total time to write one response
 * @param idleTimeout how long a connection may sit with no traffic at all, whether no request has
 *     been sent on it yet or it is kept alive after a response
 * @param maxBodyBytes larger request bodies are refused with HTTP 413 and the connection closed
 * @param workers threads that run the policy; requests beyond them queue, boundedly
 */
public record WebhookServerConfig(
    int port,
    Path certFile,
    Path keyFile,
    Duration readTimeout,
    Duration writeTimeout,
    Duration idleTimeout,
    long maxBodyBytes,
    int workers) {

  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Longer than the 90 s the API server's webhook client keeps an idle connection (Go's {@code
   * http.DefaultTransport} value, which client-go's transport inherits), so that client always
   * closes first and never writes into a connection the server is closing.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

  /** The API server sends objects of at most ~1.5 MiB (etcd's limit) plus the old object. */
  public static final long DEFAULT_MAX_BODY_BYTES = 3L * 1024 * 1024;

  public static final int DEFAULT_WORKERS = 4;

  public WebhookServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be within 0..65535, got " + port);
    }
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    requirePositive(readTimeout, "readTimeout");
    requirePositive(writeTimeout, "writeTimeout");
    requirePositive(idleTimeout, "idleTimeout");
    if (maxBodyBytes <= 0 || maxBodyBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be within 1..2^31-1, got " + maxBodyBytes);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
  }

  /** Read 2 s, write 2 s, idle 120 s, 3 MiB bodies, 4 workers. */
  public static WebhookServerConfig defaults(int port, Path certFile, Path keyFile) {
    return new WebhookServerConfig(
        port,
        certFile,
        keyFile,
        DEFAULT_READ_TIMEOUT,
        DEFAULT_WRITE_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_WORKERS);
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero() || duration.toMillis() == 0) {
      throw new IllegalArgumentException(name + " must be at least 1 ms, got " + duration);
    }
  }
}
