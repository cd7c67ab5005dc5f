package io.runtimepolicy.operator.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;

/**
 * The client side of the server tests: JDK HttpClient for well-behaved calls, raw TLS for the rest.
 */
final class WebhookClient {
  private final TestCertificates.Pem trusted;
  private final int port;
  private final HttpClient http;

  WebhookClient(TestCertificates.Pem trusted, int port) {
    this.trusted = trusted;
    this.port = port;
    this.http = newHttpClient();
  }

  HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .sslContext(trusted.trustingIt())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json");
  }

  HttpResponse<String> post(byte[] body) {
    return send(
        request(ReviewEndpoint.PATH).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  CompletableFuture<HttpResponse<String>> postAsync(byte[] body) {
    return http.sendAsync(
        request(ReviewEndpoint.PATH).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A TLS connection with the handshake done, reads bounded so a broken test cannot hang. */
  SSLSocket connect() throws IOException {
    SSLSocket socket =
        (SSLSocket) trusted.trustingIt().getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(15_000);
    socket.startHandshake();
    return socket;
  }

  static void write(SSLSocket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  static String headers(int contentLength) {
    return "POST "
        + ReviewEndpoint.PATH
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  /** One response's head and body, read by Content-Length; the connection stays usable. */
  static String readResponse(SSLSocket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside the response head");
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length =
        text.lines()
            .filter(l -> l.toLowerCase().startsWith("content-length:"))
            .map(l -> Integer.parseInt(l.substring(15).trim()))
            .findFirst()
            .orElse(0);
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /**
   * Reads until the server closes the connection and returns when that was (System.nanoTime); a
   * reset counts as closed, the socket timeout does not.
   */
  static long awaitClosed(SSLSocket socket) {
    try {
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // discard whatever the server still says
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("server left the connection open", e);
    } catch (IOException e) {
      // reset or TLS close without close_notify: closed all the same
    }
    return System.nanoTime();
  }
}
