package dev.ironcore.boot.imageproxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;

/**
 * A registry response body, watched: it counts as a download under way until it ends, fails or is
 * cancelled; a failure counts as {@code timeout} or {@code aborted}; and a body that sends nothing
 * for the idle timeout while we want bytes fails with a {@link TimeoutException} and is reset (the
 * Vert.x request idle timeout does not cover a body already being read). Callbacks run on the request's
 * event loop; the activity stamp is volatile for the periodic check.
 */
final class ObservedBody implements ReadStream<Buffer> {
  private final ReadStream<Buffer> body;
  private final Runnable reset;
  private final BodyWatch watch;
  private final long idleNanos;
  private final long checker;
  private Handler<Throwable> exceptionHandler;
  private volatile long lastActivity = System.nanoTime();
  private volatile boolean paused;
  private boolean over;

  ObservedBody(ReadStream<Buffer> body, Runnable reset, BodyWatch watch) {
    this.body = body;
    this.reset = reset;
    this.watch = watch;
    this.idleNanos = watch.idleTimeout().toNanos();
    // One periodic check per download, not a timer per chunk: chunks only stamp the time.
    this.checker = watch.vertx().setPeriodic(Math.max(10, watch.idleTimeout().toMillis() / 4), id -> checkIdle());
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
    watch.vertx().cancelTimer(checker);
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

  private void checkIdle() {
    if (!over && !paused && System.nanoTime() - lastActivity > idleNanos) {
      failed(new TimeoutException("registry sent nothing for " + watch.idleTimeout().toMillis() + " ms"));
      reset.run();
    }
  }

  private void active() {
    lastActivity = System.nanoTime();
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
      active();
      handler.handle(chunk);
    });
    return this;
  }

  /** Paused by us (a full write queue): silence is then ours, not the registry's. */
  @Override
  public ObservedBody pause() {
    paused = true;
    body.pause();
    return this;
  }

  @Override
  public ObservedBody resume() {
    paused = false;
    active();
    body.resume();
    return this;
  }

  @Override
  public ObservedBody fetch(long amount) {
    paused = false;
    active();
    body.fetch(amount);
    return this;
  }
}
