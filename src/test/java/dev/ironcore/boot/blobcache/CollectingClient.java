package dev.ironcore.boot.blobcache;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Optional;

/**
 * A client's response as a WriteStream: collects bytes; optionally taking file regions (sendfile), slow (drains a little every
 * millisecond, recording the most it ever had queued) or going away after some bytes.
 */
final class CollectingClient implements WriteStream<Buffer> {
  static final int QUEUE_LIMIT = 128 * 1024;
  private final Vertx vertx;
  private final Buffer received = Buffer.buffer();
  /** The threads its bytes were written on. */
  private final java.util.Set<Thread> writers = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private long queued;
  private long maxQueued;
  private boolean slow;
  private long disconnectAfter = -1;
  private boolean ended;
  private boolean takesFileRegions;
  private long regionBytes;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  CollectingClient(Vertx vertx) {
    this.vertx = vertx;
  }

  CollectingClient slow() {
    slow = true;
    vertx.setPeriodic(1, id -> {
      queued = Math.max(0, queued - 32 * 1024);
      if (queued < QUEUE_LIMIT / 2 && drainHandler != null) {
        Handler<Void> drain = drainHandler;
        drainHandler = null;
        drain.handle(null);
      }
    });
    return this;
  }

  CollectingClient disconnectingAfter(long bytes) {
    disconnectAfter = bytes;
    return this;
  }

  byte[] bytes() {
    return received.getBytes();
  }

  java.util.Set<Thread> writerThreads() {
    return writers;
  }

  long maxQueued() {
    return maxQueued;
  }

  boolean ended() {
    return ended;
  }

  /**
   * Also takes file regions, as a plain-HTTP response does (sendfile): their bytes are read from the file
   * here, as the kernel would, and never count as queued in the JVM.
   */
  CollectingClient takingFileRegions() {
    takesFileRegions = true;
    return this;
  }

  Optional<FileSender> kernel() {
    return takesFileRegions ? Optional.of(this::sendFile) : Optional.empty();
  }

  /** Bytes that came as file regions. */
  long regionBytes() {
    return regionBytes;
  }

  private Future<Void> sendFile(RandomAccessFile file, long offset, long length) {
    byte[] region = new byte[(int) length];
    try (file) {
      file.seek(offset);
      file.readFully(region); // a region past the file's end fails: a reader sent bytes not written yet
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    regionBytes += length;
    return take(Buffer.buffer(region));
  }

  @Override
  public Future<Void> write(Buffer data) {
    Future<Void> taken = take(data);
    if (taken.succeeded() && slow) {
      queued += data.length();
      maxQueued = Math.max(maxQueued, queued);
    }
    return taken;
  }

  private Future<Void> take(Buffer data) {
    if (disconnectAfter >= 0 && received.length() + data.length() > disconnectAfter) {
      Exception gone = new IOException("client went away");
      if (exceptionHandler != null) {
        exceptionHandler.handle(gone);
      }
      return Future.failedFuture(gone);
    }
    writers.add(Thread.currentThread());
    received.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
    write(data).onComplete(handler);
  }

  @Override
  public void end(Handler<AsyncResult<Void>> handler) {
    end().onComplete(handler);
  }

  @Override
  public Future<Void> end() {
    ended = true;
    return Future.succeededFuture();
  }

  @Override
  public CollectingClient exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  @Override
  public CollectingClient setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return slow && queued >= QUEUE_LIMIT;
  }

  @Override
  public CollectingClient drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }
}
