package io.runtimepolicy.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.runtimepolicy.operator.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  private final AtomicBoolean webhook = new AtomicBoolean(true);
  private final AtomicBoolean synced = new AtomicBoolean();
  private final Readiness readiness =
      new Readiness(
          List.of(
              new Readiness.Check("webhook server not listening", webhook::get),
              new Readiness.Check("policies not synced yet", Readiness.once(synced::get))));

  @Test
  void theFirstCheckThatDoesNotHoldIsTheReason() {
    webhook.set(false);
    assertThat(readiness.notReady()).contains("webhook server not listening");
    webhook.set(true);
    assertThat(readiness.notReady()).contains("policies not synced yet");
    synced.set(true);
    assertThat(readiness.notReady()).isEmpty();
  }

  @Test
  void onceStaysTrueAfterTheFirstTrue() {
    Queue<Boolean> answers = new ArrayDeque<>(List.of(false, false, true, false, false));
    BooleanSupplier latched = Readiness.once(answers::remove);
    List<Boolean> seen = IntStream.range(0, 5).mapToObj(i -> latched.getAsBoolean()).toList();
    assertThat(seen).containsExactly(false, false, true, true, true);
    assertThat(answers).as("not asked again once true").hasSize(2);
  }

  @Test
  void aSyncThatGoesAwayAfterTheFirstDoesNotMakeItNotReady() {
    synced.set(true);
    assertThat(readiness.notReady()).isEmpty();
    synced.set(false);
    assertThat(readiness.notReady()).isEmpty();
  }

  @Test
  void stoppingWinsOverEveryCheckAndStays() {
    synced.set(true);
    readiness.stopping();
    assertThat(readiness.notReady()).contains("shutting down");
    webhook.set(false);
    assertThat(readiness.notReady()).contains("shutting down");
  }

  @Test
  void eachChangeIsLoggedOnceWithItsReasonHowEverOftenItIsAsked() {
    try (LogCapture log = LogCapture.of(Readiness.class.getName(), Level.INFO)) {
      ask(3);
      synced.set(true);
      ask(3);
      webhook.set(false);
      ask(3);
      webhook.set(true);
      ask(3);
      readiness.stopping();
      ask(3);
      assertThat(log.events())
          .extracting(e -> e.getLevel() + " " + e.getFormattedMessage())
          .containsExactly(
              "INFO Not ready: policies not synced yet",
              "INFO Ready: /readyz answers 200",
              "WARN Not ready: webhook server not listening",
              "INFO Ready: /readyz answers 200",
              "INFO Not ready: shutting down");
      assertThat(log.events()).extracting(ILoggingEvent::getThrowableProxy).containsOnlyNulls();
    }
  }

  @Test
  void the503BodyNamesTheReason() throws Exception {
    try (HealthServer server = new HealthServer(0, readiness, () -> "").start()) {
      HttpResponse<String> before = readyz(server);
      assertThat(before.statusCode()).isEqualTo(503);
      assertThat(before.body()).isEqualTo("not ready: policies not synced yet");
      synced.set(true);
      HttpResponse<String> after = readyz(server);
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(after.body()).isEqualTo("ok");
    }
  }

  private void ask(int times) {
    IntStream.range(0, times).forEach(i -> readiness.notReady());
  }

  private static HttpResponse<String> readyz(HealthServer server) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/readyz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
