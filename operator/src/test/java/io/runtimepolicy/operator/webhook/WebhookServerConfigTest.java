package io.runtimepolicy.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookServerConfigTest {
  private static final Path CERT = Path.of("tls.crt");
  private static final Path KEY = Path.of("tls.key");

  @Test
  void defaultsStayWellBelowTheWebhookTimeout() {
    var config = WebhookServerConfig.defaults(8443, CERT, KEY);

    assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.maxBodyBytes()).isEqualTo(3L * 1024 * 1024);
    assertThat(config.workers()).isEqualTo(4);
    assertThat(config.readTimeout().plus(config.writeTimeout()))
        // The most the chart's webhook.timeoutSeconds allows (values.schema.json).
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void idleConnectionsAreClosedByTheApiServerFirst() {
    // The API server's webhook client: client-go's transport leaves IdleConnTimeout unset and
    // utilnet.SetTransportDefaults fills in http.DefaultTransport's.
    Duration apiServerIdleConnTimeout = Duration.ofSeconds(90);

    assertThat(WebhookServerConfig.defaults(8443, CERT, KEY).idleTimeout())
        .isGreaterThan(apiServerIdleConnTimeout);
  }

  @Test
  void refusesValuesThatCannotWork() {
    Duration second = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new WebhookServerConfig(-1, CERT, KEY, second, second, second, 1, 1))
        .hasMessageContaining("port");
    assertThatThrownBy(
            () -> new WebhookServerConfig(0, CERT, KEY, Duration.ZERO, second, second, 1, 1))
        .hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> new WebhookServerConfig(0, CERT, KEY, second, second, second, 0, 1))
        .hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> new WebhookServerConfig(0, CERT, KEY, second, second, second, 1, 0))
        .hasMessageContaining("workers");
    assertThatThrownBy(() -> new WebhookServerConfig(0, null, KEY, second, second, second, 1, 1))
        .hasMessageContaining("certFile");
  }
}
