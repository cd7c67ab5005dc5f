package io.runtimepolicy.operator.webhook;

import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** How the webhook's Vert.x instance and HTTPS server are set up. */
final class ServerSettings {
  static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  static final int MAX_HEADER_BYTES = 8 * 1024;

  /**
   * At least this long for a TLS handshake. The API server opens dozens of connections at once
   * after a certificate rotation, and 200 concurrent clients do the same: their handshakes queue on
   * two event loops, and cutting one short at the 2 s read timeout failed a call the client, which
   * waits up to the webhook's timeoutSeconds, would still have completed. A silent client stays
   * bounded, by this.
   */
  static final Duration MIN_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private ServerSettings() {}

  // No file cache and no classpath resolving: the container runs with a read-only root filesystem.
  static VertxOptions vertx() {
    return new VertxOptions()
        .setEventLoopPoolSize(2)
        .setWorkerPoolSize(1)
        .setFileSystemOptions(
            new FileSystemOptions()
                .setFileCachingEnabled(false)
                .setClassPathResolvingEnabled(false));
  }

  static Duration handshakeTimeout(WebhookServerConfig config) {
    return config.readTimeout().compareTo(MIN_HANDSHAKE_TIMEOUT) > 0
        ? config.readTimeout()
        : MIN_HANDSHAKE_TIMEOUT;
  }

  // The key manager's content is swapped on reload rather than calling updateSSLOptions: Vert.x
  // 4.5.24 drops connections accepted while such an update is in progress. No ALPN, so HTTP/1.1
  // only, where RequestDeadlines applies.
  static HttpServerOptions http(WebhookServerConfig config, ReloadableKeyManager keyManager) {
    return new HttpServerOptions()
        .setPort(config.port())
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(keyManager))
        .setEnabledSecureTransportProtocols(TLS_PROTOCOLS)
        .setSslHandshakeTimeout(handshakeTimeout(config).toMillis())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        .setUseAlpn(false)
        .setAlpnVersions(List.of(HttpVersion.HTTP_1_1))
        .setHttp2ClearTextEnabled(false)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setIdleTimeout((int) config.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }
}
