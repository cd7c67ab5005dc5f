package io.runtimepolicy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;

/**
 * Open-loop load: request i is due at start + i/rate and is sent then whatever earlier ones are
 * doing; its latency runs from when it was due (not when it went out) to the whole response, so a
 * slow server cannot hide its queueing by slowing the sender (no coordinated omission). HTTP/1.1
 * over TLS with keep-alive, as the API server calls webhooks; 5 s timeout, like the registration.
 */
final class WebhookLoad {

  /** What one run at one rate measured. */
  record Result(
      int rate,
      int sent,
      int ok,
      int errors,
      double sentPerSecond,
      double answeredPerSecond,
      Latencies latencies) {}

  private final HttpClient http;

  WebhookLoad(SSLContext tls) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(tls)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  Result run(URI target, int rate, Duration duration, IntFunction<byte[]> body) {
    int total = (int) (rate * duration.toMillis() / 1000);
    long[] latencies = new long[total];
    boolean[] ok = new boolean[total];
    AtomicInteger errors = new AtomicInteger();
    CompletableFuture<?>[] pending = new CompletableFuture<?>[total];
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * periodNanos;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      int index = i;
      HttpRequest request =
          HttpRequest.newBuilder(target)
              .timeout(Duration.ofSeconds(5))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body.apply(i)))
              .build();
      pending[i] =
          http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
              .handle(
                  (response, failure) -> {
                    latencies[index] = System.nanoTime() - due;
                    if (failure == null && response.statusCode() == 200) {
                      ok[index] = true;
                    } else {
                      errors.incrementAndGet();
                    }
                    return null;
                  });
    }
    long sentEnd = System.nanoTime();
    try {
      CompletableFuture.allOf(pending).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "webhook load: responses still missing 30 s after the last request", e);
    }
    long answeredEnd = System.nanoTime();
    long[] okLatencies =
        IntStream.range(0, total).filter(i -> ok[i]).mapToLong(i -> latencies[i]).toArray();
    return new Result(
        rate,
        total,
        okLatencies.length,
        errors.get(),
        total / ((sentEnd - start) / 1e9),
        okLatencies.length / ((answeredEnd - start) / 1e9),
        Latencies.of(okLatencies));
  }
}
