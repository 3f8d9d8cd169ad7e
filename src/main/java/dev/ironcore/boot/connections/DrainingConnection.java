package dev.ironcore.boot.connections;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * One HTTP/1.x connection of a serving port, as the shutdown drain sees it: whether an answer is
 * under way (a request read whose response's last byte is not yet written). Once draining, every
 * response says {@code Connection: close} and the connection is closed as soon as it has no answer
 * under way, so a client is never cut mid-answer and moves to another pod for its next request.
 * It sits right before Vert.x's own handler, where requests and responses are Netty HTTP objects;
 * everything runs on the connection's event loop.
 */
final class DrainingConnection extends ChannelDuplexHandler {
  static final String NAME = "bootDrain";

  private ChannelHandlerContext context;
  /** Requests read whose final response has not been written completely (more than 1 only when pipelined). */
  private int answersUnderway;
  private boolean draining;

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.context = context;
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (message instanceof HttpRequest) {
      answersUnderway++;
    }
    context.fireChannelRead(message);
  }

  @Override
  public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
    if (draining && message instanceof HttpResponse response && !isInterim(response)) {
      HttpUtil.setKeepAlive(response, false);
    }
    if (message instanceof LastHttpContent && !(message instanceof HttpResponse response && isInterim(response))) {
      ChannelPromise written = promise.unvoid();
      written.addListener(done -> answered());
      context.write(message, written);
      return;
    }
    context.write(message, promise);
  }

  /** From now on each answer ends its connection; an idle connection is closed at once. */
  void drain() {
    draining = true;
    closeIfIdle();
  }

  /** A connection accepted while draining: it is served, and ends with its first answer. */
  void drainAfterFirstAnswer() {
    draining = true;
  }

  private void answered() {
    answersUnderway--;
    closeIfIdle();
  }

  private void closeIfIdle() {
    if (draining && answersUnderway == 0) {
      context.close();
    }
  }

  /** A 1xx (100 Continue) comes before the final response: the answer goes on. */
  private static boolean isInterim(HttpResponse response) {
    return response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
  }
}
