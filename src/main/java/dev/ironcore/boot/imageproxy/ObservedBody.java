package dev.ironcore.boot.imageproxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;

/**
 * A registry response body, watched: it counts as a download under way until it ends, fails or is
 * cancelled; a failure counts as {@code timeout} or {@code aborted}; and a body that sends nothing
 * for the idle timeout while we want bytes fails with a {@link TimeoutException} and is reset (the
 * Vert.x request idle timeout does not cover a body already being read). Event-loop confined.
 */
final class ObservedBody implements ReadStream<Buffer> {
  private final ReadStream<Buffer> body;
  private final Runnable reset;
  private final BodyWatch watch;
  private Handler<Throwable> exceptionHandler;
  private long idleTimer = -1;
  private boolean over;

  ObservedBody(ReadStream<Buffer> body, Runnable reset, BodyWatch watch) {
    this.body = body;
    this.reset = reset;
    this.watch = watch;
    watch.metrics().downloadStarted();
    body.exceptionHandler(this::failed);
  }

  /** The download was stopped by us (cache discard, client gone): no failure of the registry's. */
  void cancel() {
    if (finish()) {
      reset.run();
    }
  }

  private boolean finish() {
    if (over) {
      return false;
    }
    over = true;
    stopIdleTimer();
    watch.metrics().downloadEnded();
    return true;
  }

  private void failed(Throwable failure) {
    if (finish()) {
      watch.metrics().upstreamError(failure instanceof TimeoutException ? "timeout" : "aborted");
    }
    if (exceptionHandler != null) {
      exceptionHandler.handle(failure);
    }
  }

  private void restartIdleTimer() {
    stopIdleTimer();
    if (!over) {
      idleTimer = watch.vertx().setTimer(watch.idleTimeout().toMillis(), id -> {
        failed(new TimeoutException("registry sent nothing for " + watch.idleTimeout().toMillis() + " ms"));
        reset.run();
      });
    }
  }

  private void stopIdleTimer() {
    if (idleTimer >= 0) {
      watch.vertx().cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  @Override
  public ObservedBody exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ObservedBody endHandler(Handler<Void> handler) {
    body.endHandler(end -> {
      finish();
      if (handler != null) {
        handler.handle(end);
      }
    });
    return this;
  }

  @Override
  public ObservedBody handler(Handler<Buffer> handler) {
    body.handler(handler == null ? null : chunk -> {
      restartIdleTimer();
      handler.handle(chunk);
    });
    return this;
  }

  /** Paused by us (a full write queue): silence is then ours, not the registry's. */
  @Override
  public ObservedBody pause() {
    stopIdleTimer();
    body.pause();
    return this;
  }

  @Override
  public ObservedBody resume() {
    restartIdleTimer();
    body.resume();
    return this;
  }

  @Override
  public ObservedBody fetch(long amount) {
    restartIdleTimer();
    body.fetch(amount);
    return this;
  }
}
