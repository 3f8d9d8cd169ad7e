package dev.ironcore.boot.blobcache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.atomic.AtomicInteger;

/** A registry stand-in: serves fixed bytes in chunks, one per event-loop turn, honouring pause. */
final class FakeUpstream implements Upstream {
  private final Vertx vertx;
  private final byte[] bytes;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile long failAt = -1;
  private volatile long holdAt = -1;
  private volatile Runnable release = () -> {};
  private volatile long announcedSize = -1;
  private volatile boolean cancelled;

  FakeUpstream(Vertx vertx, byte[] bytes) {
    this.vertx = vertx;
    this.bytes = bytes;
  }

  /** Breaks the connection once this many bytes were sent. */
  FakeUpstream failingAt(long offset) {
    this.failAt = offset;
    return this;
  }

  /** Sends this many bytes, then nothing until {@link #release()}: readers join a download under way. */
  FakeUpstream holdingAt(long offset) {
    this.holdAt = offset;
    return this;
  }

  void release() {
    holdAt = -1;
    release.run();
  }

  FakeUpstream announcing(long size) {
    this.announcedSize = size;
    return this;
  }

  int fetches() {
    return fetches.get();
  }

  boolean cancelled() {
    return cancelled;
  }

  @Override
  public Future<UpstreamBlob> fetch() {
    fetches.incrementAndGet();
    Body body = new Body(vertx.getOrCreateContext());
    long size = announcedSize >= 0 ? announcedSize : bytes.length;
    return Future.succeededFuture(new UpstreamBlob(size, body, () -> {
      cancelled = true;
      body.stop();
    }));
  }

  private final class Body implements ReadStream<Buffer> {
    private static final int CHUNK = 16 * 1024;
    private final Context context;
    private int position;
    private boolean paused;
    private boolean scheduled;
    private boolean stopped;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    Body(Context context) {
      this.context = context;
    }

    void stop() {
      stopped = true;
    }

    private void schedule() {
      if (!scheduled && !paused && !stopped) {
        scheduled = true;
        context.runOnContext(v -> emit());
      }
    }

    private void emit() {
      scheduled = false;
      if (paused || stopped || handler == null) {
        return;
      }
      if (holdAt >= 0 && position >= holdAt) {
        release = () -> context.runOnContext(v -> emit());
        return;
      }
      if (failAt >= 0 && position >= failAt) {
        stopped = true;
        exceptionHandler.handle(new java.io.IOException("connection reset by registry"));
      } else if (position >= bytes.length) {
        stopped = true;
        endHandler.handle(null);
      } else {
        long stop = Math.min(failAt >= 0 ? failAt : bytes.length, holdAt >= 0 ? holdAt : bytes.length);
        int length = (int) Math.min(CHUNK, Math.min(stop, bytes.length) - position);
        Buffer chunk = Buffer.buffer().appendBytes(bytes, position, Math.max(length, 0));
        position += chunk.length();
        handler.handle(chunk);
        schedule();
      }
    }

    @Override
    public Body handler(Handler<Buffer> handler) {
      this.handler = handler;
      schedule();
      return this;
    }

    @Override
    public Body pause() {
      paused = true;
      return this;
    }

    @Override
    public Body resume() {
      paused = false;
      schedule();
      return this;
    }

    @Override
    public Body fetch(long amount) {
      return resume();
    }

    @Override
    public Body endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }

    @Override
    public Body exceptionHandler(Handler<Throwable> exceptionHandler) {
      this.exceptionHandler = exceptionHandler;
      return this;
    }
  }
}
