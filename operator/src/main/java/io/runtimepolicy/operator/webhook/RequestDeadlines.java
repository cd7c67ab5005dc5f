package io.runtimepolicy.operator.webhook;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The total read deadline of one connection's requests, headers and body. An inactivity timeout
 * cannot do this: a client that trickles one byte a second is never inactive. The clock starts at a
 * request's first byte and never before: a connection with no request begun on it, fresh from its
 * TLS handshake or kept alive after a response, is left to the idle timeout. The API server's
 * client dials connections ahead and may leave one unused for seconds, and it does not retry a
 * request that fails on a connection it never used, so closing such a connection early fails a
 * write. Two handlers share the state, both on the connection's event loop: one in front of the
 * HTTP decoder sees bytes arrive, one behind it sees the request end.
 */
final class RequestDeadlines {
  private static final Logger log = LoggerFactory.getLogger(RequestDeadlines.class);

  private final long readMillis;
  private ScheduledFuture<?> deadline;

  RequestDeadlines(long readMillis) {
    this.readMillis = readMillis;
  }

  /** Goes in front of the HTTP decoder. */
  ChannelHandler requestStart() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (deadline == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
          deadline = ctx.executor().schedule(() -> expire(ctx), readMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  /** Goes behind the HTTP decoder. */
  ChannelHandler requestEnd() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LastHttpContent) {
          requestRead();
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  private void requestRead() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  // A connection closed meanwhile is left as it is: its deadline ran out with nothing to cut.
  private void expire(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    log.debug(
        "Closing webhook connection from {}: reading the request took longer than {} ms",
        ctx.channel().remoteAddress(),
        readMillis);
    ctx.close();
  }
}
