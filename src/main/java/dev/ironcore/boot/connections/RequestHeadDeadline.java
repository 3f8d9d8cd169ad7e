package dev.ironcore.boot.connections;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import io.netty.util.ReferenceCountUtil;
import java.util.function.BiPredicate;

/**
 * The header timeout of an HTTP/1.x connection: a request head must be complete within the timeout
 * of the connection's start, or of the first byte of the next request on a kept-alive connection;
 * else the connection is closed. A connection waiting between requests is the idle timeout's.
 * Two handlers share the state: {@link #rawBytes} before the HTTP decoder sees a request begin,
 * {@link #decoded} after it sees its head complete (and lets {@code onHead} refuse it).
 */
final class RequestHeadDeadline {
  static final String RAW = "bootRequestHeadStart";
  static final String DECODED = "bootRequestHeadEnd";

  private final long timeoutMillis;
  private final Runnable onTimeout;
  private final BiPredicate<ChannelHandlerContext, HttpRequest> onHead;
  private ScheduledFuture<?> deadline;
  private boolean inRequest;

  /**
   * {@code onHead}: every decoded head, before the server routes it; true when it answered and closed
   * the connection itself (the head then goes no further).
   */
  RequestHeadDeadline(Duration timeout, Runnable onTimeout, BiPredicate<ChannelHandlerContext, HttpRequest> onHead) {
    this.timeoutMillis = timeout.toMillis();
    this.onTimeout = onTimeout;
    this.onHead = onHead;
  }

  final ChannelInboundHandlerAdapter rawBytes = new ChannelInboundHandlerAdapter() {
    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      // a new connection must send its first head in time
      start(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      if (message instanceof ByteBuf && deadline == null && !inRequest) {
        start(context);
      }
      context.fireChannelRead(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      stop();
      context.fireChannelInactive();
    }
  };

  final ChannelInboundHandlerAdapter decoded = new ChannelInboundHandlerAdapter() {
    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      if (message instanceof HttpRequest head) {
        stop();
        inRequest = true;
        if (onHead.test(context, head)) {
          ReferenceCountUtil.release(message);
          return;
        }
      }
      if (message instanceof LastHttpContent) {
        inRequest = false;
      }
      context.fireChannelRead(message);
    }
  };

  private void start(ChannelHandlerContext context) {
    stop();
    deadline = context.executor().schedule(() -> {
      deadline = null;
      onTimeout.run();
      context.close();
    }, timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void stop() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
