package io.runtimepolicy.operator.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Plain HTTP for the kubelet and Prometheus: /healthz (process alive), /readyz ({@link Readiness}:
 * 503 with the reason as its body), /metrics. Separate from the webhook's TLS port so probes never
 * depend on TLS.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "health-server");
            t.setDaemon(true);
            return t;
          });

  public HealthServer(int port, Readiness readiness, Supplier<String> metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext("/healthz", ex -> respond(ex, 200, "ok"));
    server.createContext(
        "/readyz",
        ex -> {
          Optional<String> notReady = readiness.notReady();
          respond(
              ex,
              notReady.isEmpty() ? 200 : 503,
              notReady.map(reason -> "not ready: " + reason).orElse("ok"));
        });
    server.createContext("/metrics", ex -> respond(ex, 200, metrics.get()));
    server.setExecutor(executor);
  }

  public HealthServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
