package io.runtimepolicy.operator.webhook;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code POST /mutate-workloads}: bounds the body, runs the handler on the worker
 * pool, writes its result. Runs on the event loop except for the handler itself.
 */
final class ReviewEndpoint implements Handler<HttpServerRequest> {
  static final String PATH = "/mutate-workloads";
  private static final Logger log = LoggerFactory.getLogger(ReviewEndpoint.class);

  private final AdmissionReviewHandler handler;
  private final Executor workers;
  private final long maxBodyBytes;
  private final InFlightRequests inFlight = new InFlightRequests();
  private volatile boolean draining;

  ReviewEndpoint(AdmissionReviewHandler handler, Executor workers, long maxBodyBytes) {
    this.handler = handler;
    this.workers = workers;
    this.maxBodyBytes = maxBodyBytes;
  }

  InFlightRequests inFlight() {
    return inFlight;
  }

  /** From now on every response closes its connection, so keep-alive clients move elsewhere. */
  void drain() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  @Override
  public void handle(HttpServerRequest request) {
    track(request);
    if (!PATH.equals(request.path())) {
      reply(request, 404, "not found", true);
    } else if (request.method() != HttpMethod.POST) {
      reply(request, 405, "only POST is served", true);
    } else if (declaredLength(request) > maxBodyBytes) {
      tooLarge(request);
    } else {
      readBody(request);
    }
  }

  private void track(HttpServerRequest request) {
    inFlight.enter();
    AtomicBoolean done = new AtomicBoolean();
    Handler<Void> exit =
        v -> {
          if (done.compareAndSet(false, true)) {
            inFlight.exit();
          }
        };
    request.response().endHandler(exit).closeHandler(exit);
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void readBody(HttpServerRequest request) {
    Buffer body = Buffer.buffer();
    AtomicBoolean refused = new AtomicBoolean();
    request.handler(
        chunk -> {
          if (refused.get()) {
            return;
          }
          if (body.length() + (long) chunk.length() > maxBodyBytes) {
            refused.set(true);
            tooLarge(request);
          } else {
            body.appendBuffer(chunk);
          }
        });
    request.exceptionHandler(
        e -> log.debug("Reading an admission request failed: {}", e.toString()));
    request.endHandler(
        v -> {
          if (!refused.get()) {
            dispatch(request, body.getBytes());
          }
        });
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
  }

  private void tooLarge(HttpServerRequest request) {
    reply(request, 413, "request body exceeds " + maxBodyBytes + " bytes", true);
  }

  private void dispatch(HttpServerRequest request, byte[] body) {
    Context context = Vertx.currentContext();
    try {
      workers.execute(
          () -> {
            AdmissionResult result = review(body);
            try {
              context.runOnContext(v -> respond(request, result));
            } catch (RejectedExecutionException stopped) {
              log.debug(
                  "Admission response dropped: the server stopped before it could be written");
            }
          });
    } catch (RejectedExecutionException e) {
      log.debug("Admission request refused: all workers busy and the queue full");
      reply(request, 503, "busy", false);
    }
  }

  private AdmissionResult review(byte[] body) {
    try {
      return handler.handle(body);
    } catch (RuntimeException | StackOverflowError e) {
      log.warn("Admission handler failed unexpectedly: {}", e.toString());
      return null;
    }
  }

  private void respond(HttpServerRequest request, AdmissionResult result) {
    if (result instanceof AdmissionResult.Reviewed reviewed) {
      send(request, 200, "application/json", Buffer.buffer(reviewed.json()), false);
    } else if (result instanceof AdmissionResult.BadRequest bad) {
      reply(request, 400, bad.reason(), false);
    } else {
      reply(request, 500, "internal error", false);
    }
  }

  private void reply(HttpServerRequest request, int status, String text, boolean close) {
    send(request, status, "text/plain; charset=utf-8", Buffer.buffer(text + "\n"), close);
  }

  private void send(
      HttpServerRequest request, int status, String type, Buffer body, boolean close) {
    var response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    boolean closing = close || draining;
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, type);
    if (closing) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    response
        .end(body)
        .onComplete(
            ar -> {
              if (closing) {
                request.connection().close();
              }
            });
  }
}
