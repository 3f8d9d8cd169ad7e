package dev.ironcore.boot.connections;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that neither received a byte nor was given one to send for the idle timeout.
 * First in the pipeline, so it sees every byte read, before TLS or HTTP decoding (a request head that
 * trickles in is the header timeout's). Vert.x sends a file with sendfile in 1 MiB writes, each handed
 * down once the previous one is in the socket: a client that stopped reading holds the next one back
 * and is closed, one that takes at least 1 MiB per timeout is not. Closing fails the pending write,
 * so the response's sender releases the blob it pinned.
 */
final class IdleTimeout extends ChannelDuplexHandler {
  static final String NAME = "bootIdleTimeout";

  private final long timeoutNanos;
  private final Runnable onClose;
  private long lastActivity;
  private ScheduledFuture<?> check;

  IdleTimeout(Duration timeout, Runnable onClose) {
    this.timeoutNanos = timeout.toNanos();
    this.onClose = onClose;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    lastActivity = System.nanoTime();
    scheduleCheck(context, timeoutNanos);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    lastActivity = System.nanoTime();
    context.fireChannelRead(message);
  }

  @Override
  public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
    lastActivity = System.nanoTime();
    context.write(message, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    if (check != null) {
      check.cancel(false);
    }
    context.fireChannelInactive();
  }

  private void scheduleCheck(ChannelHandlerContext context, long delayNanos) {
    check = context.executor().schedule(() -> check(context), delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Closes when the timeout passed since the last activity; else looks again when it would have. */
  private void check(ChannelHandlerContext context) {
    if (!context.channel().isOpen()) {
      return;
    }
    long idle = System.nanoTime() - lastActivity;
    if (idle >= timeoutNanos) {
      onClose.run();
      context.close();
      return;
    }
    scheduleCheck(context, timeoutNanos - idle);
  }
}
