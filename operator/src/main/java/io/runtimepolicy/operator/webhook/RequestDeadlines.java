package io.runtimepolicy.operator.webhook;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Total deadlines, per HTTP/1.1 exchange, for reading the request (headers and body) and for
 * writing the response. Inactivity timeouts cannot do this: a client that trickles one byte a
 * second is never inactive. The read deadline starts with the request's first byte and never
 * before: a connection with no request begun on it, whether fresh from its TLS handshake or kept
 * alive after a response, is left to the idle timeout. The API server's client dials connections
 * ahead and may leave one unused for seconds, and it does not retry a request that fails on a
 * connection it never used, so closing such a connection early fails a write. Two handlers share
 * the state: one sees raw bytes before the HTTP decoder (when a request starts), one sees decoded
 * parts after it (when it ends) and the response going out. All of it runs on the connection's
 * event loop.
 */
final class RequestDeadlines {
  private static final Logger log = LoggerFactory.getLogger(RequestDeadlines.class);

  private enum Phase {
    AWAITING_REQUEST,
    READING,
    HANDLING,
    WRITING
  }

  private final Channel channel;
  private final long readMillis;
  private final long writeMillis;
  private Phase phase = Phase.AWAITING_REQUEST;
  private boolean partialRequest;
  private ScheduledFuture<?> deadline;

  private RequestDeadlines(Channel channel, Duration readTimeout, Duration writeTimeout) {
    this.channel = channel;
    this.readMillis = readTimeout.toMillis();
    this.writeMillis = writeTimeout.toMillis();
  }

  /**
   * Adds the deadlines to an HTTP/1.1 server pipeline, around its request decoder and in front of
   * {@code handlerName}, the connection's own handler.
   *
   * @return false when the pipeline has no HTTP request decoder to place them around
   */
  static boolean install(
      ChannelPipeline pipeline, String handlerName, Duration read, Duration write) {
    ChannelHandlerContext decoder = pipeline.context(HttpRequestDecoder.class);
    if (decoder == null) {
      return false;
    }
    RequestDeadlines deadlines = new RequestDeadlines(pipeline.channel(), read, write);
    pipeline.addBefore(decoder.name(), "request-start", deadlines.new RawBytes());
    pipeline.addBefore(handlerName, "request-deadlines", deadlines.new Messages());
    return true;
  }

  private void bytesArrived() {
    partialRequest = true;
    if (phase == Phase.AWAITING_REQUEST) {
      startReading();
    }
  }

  private void startReading() {
    phase = Phase.READING;
    arm(readMillis, "reading the request");
  }

  private void requestRead() {
    partialRequest = false;
    if (phase == Phase.READING) {
      phase = Phase.HANDLING;
      cancel();
    }
  }

  private void responseStarted() {
    if (phase != Phase.WRITING) {
      phase = Phase.WRITING;
      arm(writeMillis, "writing the response");
    }
  }

  // A pipelined next request may have begun while this one was handled: its clock runs now.
  private void responseWritten() {
    if (phase != Phase.WRITING) {
      return;
    }
    if (partialRequest) {
      startReading();
    } else {
      phase = Phase.AWAITING_REQUEST;
      cancel();
    }
  }

  private void arm(long millis, String what) {
    cancel();
    deadline =
        channel.eventLoop().schedule(() -> expire(millis, what), millis, TimeUnit.MILLISECONDS);
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void expire(long millis, String what) {
    log.debug(
        "Closing webhook connection from {}: {} took longer than {} ms",
        channel.remoteAddress(),
        what,
        millis);
    channel.close();
  }

  // A 100 Continue is a response part too, but it neither starts nor ends the real response.
  private static boolean isFinal(Object msg, Class<?> part) {
    return part.isInstance(msg)
        && !(msg instanceof HttpResponse response
            && HttpStatusClass.valueOf(response.status().code()) == HttpStatusClass.INFORMATIONAL);
  }

  private final class RawBytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
        bytesArrived();
      }
      ctx.fireChannelRead(msg);
    }
  }

  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof LastHttpContent) {
        requestRead();
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (isFinal(msg, HttpResponse.class)) {
        responseStarted();
      }
      ChannelPromise written = promise;
      if (isFinal(msg, LastHttpContent.class)) {
        written = promise.unvoid();
        written.addListener(f -> responseWritten());
      }
      ctx.write(msg, written);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }
  }
}
