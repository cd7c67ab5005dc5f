package io.runtimepolicy.operator.webhook;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.Phaser;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /mutate-workloads} on one connection: routes, runs the handler on the worker pool,
 * writes its result. All but the handler runs on the connection's event loop. One request at a
 * time: requests a client pipelines wait their turn, so answers keep the order of the requests.
 */
final class ReviewEndpoint extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String PATH = "/mutate-workloads";
  static final int MAX_HEADER_BYTES = 8 * 1024;
  static final int MAX_WAITING = 8;
  private static final Logger log = LoggerFactory.getLogger(ReviewEndpoint.class);

  /**
   * What the endpoints of all connections share: each request in flight is a party of {@code
   * inFlight} until its response is written; once {@code draining}, every response closes its
   * connection, so keep-alive clients move on; {@code served} is told each review's time from its
   * last byte read to its response written.
   */
  record Shared(
      AdmissionReviewHandler handler,
      Executor workers,
      Phaser inFlight,
      AtomicBoolean draining,
      LongConsumer served) {}

  private final Shared shared;
  private final Queue<Request> waiting = new ArrayDeque<>();
  private boolean busy;
  private long readAt;

  ReviewEndpoint(Shared shared) {
    this.shared = shared;
  }

  /** Aggregates a request's body up to {@code maxBytes}; a larger one gets 413 and a close. */
  static ChannelHandler boundedBody(int maxBytes) {
    return new HttpObjectAggregator(maxBytes, true) {
      @Override
      protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        var response =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(response, 0);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    };
  }

  /** A request as the endpoint needs it, so that one waiting its turn holds no Netty buffer. */
  private record Request(
      boolean decoded, String path, HttpMethod method, byte[] body, boolean keep) {
    static Request of(FullHttpRequest request) {
      return new Request(
          request.decoderResult().isSuccess(),
          new QueryStringDecoder(request.uri()).path(),
          request.method(),
          ByteBufUtil.getBytes(request.content()),
          HttpUtil.isKeepAlive(request));
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (waiting.size() >= MAX_WAITING) {
      log.debug("Closing webhook connection from {}: too many pipelined requests", ctx.channel());
      ctx.close();
      return;
    }
    waiting.add(Request.of(request));
    if (!busy) {
      serve(ctx, waiting.poll());
    }
  }

  private void serve(ChannelHandlerContext ctx, Request request) {
    busy = true;
    shared.inFlight().register();
    readAt = System.nanoTime();
    if (!request.decoded()) {
      reply(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request", false);
    } else if (!PATH.equals(request.path())) {
      reply(ctx, HttpResponseStatus.NOT_FOUND, "not found", false);
    } else if (!HttpMethod.POST.equals(request.method())) {
      reply(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only POST is served", false);
    } else {
      try {
        shared.workers().execute(() -> review(ctx, request));
      } catch (RejectedExecutionException e) {
        log.debug("Admission request refused: all workers busy and the queue full");
        reply(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy", request.keep());
      }
    }
  }

  // On a worker. The answer goes back to the event loop, which alone touches this endpoint.
  private void review(ChannelHandlerContext ctx, Request request) {
    AdmissionResult result;
    try {
      result = shared.handler().handle(request.body());
    } catch (RuntimeException | StackOverflowError e) {
      log.warn("Admission handler failed unexpectedly: {}", e.toString());
      result = null;
    }
    AdmissionResult answer = result;
    try {
      ctx.executor().execute(() -> respond(ctx, answer, request.keep()));
    } catch (RejectedExecutionException stopped) {
      log.debug("Admission response dropped: the server stopped before writing it");
      shared.inFlight().arriveAndDeregister();
    }
  }

  private void respond(ChannelHandlerContext ctx, AdmissionResult result, boolean keepAlive) {
    if (result instanceof AdmissionResult.Reviewed reviewed) {
      send(ctx, HttpResponseStatus.OK, "application/json", reviewed.json(), keepAlive);
    } else if (result instanceof AdmissionResult.BadRequest bad) {
      reply(ctx, HttpResponseStatus.BAD_REQUEST, bad.reason(), keepAlive);
    } else {
      reply(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error", keepAlive);
    }
  }

  private void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean k) {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    send(ctx, status, "text/plain; charset=utf-8", body, k);
  }

  // On the event loop, so that the next request this client sends, once it has this answer, finds
  // the endpoint free: a request seen as overtaking its predecessor would wait for nothing.
  private void send(
      ChannelHandlerContext ctx, HttpResponseStatus status, String type, byte[] body, boolean k) {
    boolean close = !k || shared.draining().get();
    var response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    HttpUtil.setContentLength(response, body.length);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    long start = readAt;
    // After an answer that closes the connection nothing more is served on it.
    busy = close;
    ctx.writeAndFlush(response)
        .addListener(
            written -> {
              shared.served().accept(System.nanoTime() - start);
              shared.inFlight().arriveAndDeregister();
              if (close || !written.isSuccess()) {
                ctx.close();
              }
            });
    if (close) {
      waiting.clear();
    } else if (!waiting.isEmpty()) {
      serve(ctx, waiting.poll());
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close();
    }
    ctx.fireUserEventTriggered(event);
  }

  // Failed handshakes, resets, write timeouts: expected on a network, a debug line each.
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "Closing webhook connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
