package dev.ironcore.boot.imageproxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A registry response body that counts itself as a download under way until it ends, fails or is
 * cancelled, and counts a failure as {@code timeout} (idle timeout) or {@code aborted} (connection lost).
 */
final class ObservedBody implements ReadStream<Buffer> {
  private final ReadStream<Buffer> body;
  private final ImageProxyMetrics metrics;
  private final AtomicBoolean over = new AtomicBoolean();

  ObservedBody(ReadStream<Buffer> body, ImageProxyMetrics metrics) {
    this.body = body;
    this.metrics = metrics;
    metrics.downloadStarted();
  }

  /** The download stopped without a failure of its own (cancelled by the cache or the client). */
  void cancelled() {
    if (over.compareAndSet(false, true)) {
      metrics.downloadEnded();
    }
  }

  @Override
  public ObservedBody exceptionHandler(Handler<Throwable> handler) {
    body.exceptionHandler(failure -> {
      if (over.compareAndSet(false, true)) {
        metrics.downloadEnded();
        metrics.upstreamError(isTimeout(failure) ? "timeout" : "aborted");
      }
      if (handler != null) {
        handler.handle(failure);
      }
    });
    return this;
  }

  private static boolean isTimeout(Throwable failure) {
    return failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException;
  }

  @Override
  public ObservedBody endHandler(Handler<Void> handler) {
    body.endHandler(end -> {
      cancelled();
      if (handler != null) {
        handler.handle(end);
      }
    });
    return this;
  }

  @Override
  public ObservedBody handler(Handler<Buffer> handler) {
    body.handler(handler);
    return this;
  }

  @Override
  public ObservedBody pause() {
    body.pause();
    return this;
  }

  @Override
  public ObservedBody resume() {
    body.resume();
    return this;
  }

  @Override
  public ObservedBody fetch(long amount) {
    body.fetch(amount);
    return this;
  }
}
