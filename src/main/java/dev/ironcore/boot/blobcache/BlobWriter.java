package dev.ironcore.boot.blobcache;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The download side: an upstream response {@code pipe}s into it on its event loop. A chunk is
 * announced to readers at once (they take it from memory) and queued for a disk thread that hashes
 * and appends whatever has queued up meanwhile in one gathering write. So the event loop only
 * receives and sends, the hashing runs in parallel on another core, and the disk sees few large
 * writes instead of one worker-thread hop per chunk. Backpressure: the upstream is paused while
 * more than {@link #setWriteQueueMaxSize} bytes wait for the disk, which bounds a download's memory,
 * and while its readers are all far behind (see {@link InflightFetch}).
 * {@link #end()} succeeds only when exactly the announced bytes arrived and their sha256 is the digest.
 */
final class BlobWriter implements WriteStream<Buffer> {
  static final int DEFAULT_MAX_UNWRITTEN = 2 * 1024 * 1024;
  /** One per writer thread (there are at most as many as cores). */
  private static final ThreadLocal<ByteBuffer> STAGING =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1024 * 1024));

  private final FileChannel file;
  private final InflightFetch fetch;
  private final Context context;
  private final Executor disk;
  /** Only the one running drain touches it. */
  private final DigestVerifier verifier;

  // Event-loop state.
  private long accepted;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> drainHandler;

  // Shared with the disk thread: guarded by this.
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private int maxUnwritten = DEFAULT_MAX_UNWRITTEN;
  private boolean draining;
  private boolean wantsDrain;
  private boolean closed;
  private Throwable failure;
  private Promise<Void> ended;

  /** {@code context}: the upstream's event loop, where callbacks run; {@code disk}: runs the hashing and writing. */
  BlobWriter(FileChannel file, InflightFetch fetch, Context context, Executor disk) {
    this.file = file;
    this.fetch = fetch;
    this.context = context;
    this.disk = disk;
    this.verifier = new DigestVerifier(fetch.digest());
  }

  @Override
  public Future<Void> write(Buffer data) {
    Promise<Void> accepted = Promise.promise();
    write(data, accepted);
    return accepted.future();
  }

  /** Completes once the chunk is accepted (not written): the disk's pace shows in {@link #writeQueueFull()}. */
  @Override
  public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
    Throwable failed = failure();
    if (failed == null && accepted + data.length() > fetch.size()) {
      failed = new BlobVerificationException(
          "blob " + fetch.digest() + " is longer than its announced " + fetch.size() + " bytes");
      fail(failed);
    }
    if (failed != null) {
      handler.handle(Future.failedFuture(failed));
      return;
    }
    accepted += data.length();
    fetch.received(data);
    boolean startDrain;
    synchronized (this) {
      queue.add(data);
      queuedBytes += data.length();
      startDrain = !draining;
      draining = true;
    }
    if (startDrain) {
      startDrain();
    }
    handler.handle(Future.succeededFuture());
  }

  /** On the disk thread: hashes and appends batches until the queue is empty, then finishes if ended. */
  private void drain() {
    while (true) {
      List<Buffer> batch;
      synchronized (this) {
        if (closed) {
          draining = false;
          return;
        }
        if (queue.isEmpty()) {
          draining = false;
          if (ended != null) {
            closed = true;
            break;
          }
          return;
        }
        batch = new ArrayList<>(queue);
        queue.clear();
      }
      long bytes;
      try {
        bytes = append(batch);
      } catch (IOException | RuntimeException e) {
        fail(e);
        return;
      }
      fetch.written(bytes);
      wroteFromQueue(bytes);
    }
    verify();
  }

  /**
   * Hashes the batch and appends it through this thread's direct staging buffer: handing the JDK
   * heap buffers instead would make it allocate a temporary direct buffer per chunk.
   */
  private long append(List<Buffer> batch) throws IOException {
    ByteBuffer staging = STAGING.get().clear();
    long bytes = 0;
    for (Buffer chunk : batch) {
      verifier.update(chunk);
      ByteBuffer source = chunk.getByteBuf().nioBuffer();
      while (source.hasRemaining()) {
        if (!staging.hasRemaining()) {
          writeFully(staging.flip());
          staging.clear();
        }
        int take = Math.min(source.remaining(), staging.remaining());
        staging.put(source.slice(source.position(), take));
        source.position(source.position() + take);
      }
      bytes += chunk.length();
    }
    writeFully(staging.flip());
    return bytes;
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      file.write(bytes);
    }
  }

  private void wroteFromQueue(long bytes) {
    boolean diskCaughtUp;
    synchronized (this) {
      queuedBytes -= bytes;
      diskCaughtUp = wantsDrain && queuedBytes <= maxUnwritten / 2;
    }
    if (diskCaughtUp) {
      context.runOnContext(v -> checkDrain());
    }
  }

  /** On the event loop: resumes the upstream once the disk and the leading reader both caught up. */
  private void checkDrain() {
    synchronized (this) {
      if (!wantsDrain || queuedBytes > maxUnwritten / 2) {
        return; // not waiting, or the disk thread calls again
      }
    }
    if (fetch.readersBehindBy(InflightFetch.RECENT_BYTES / 2)) {
      fetch.whenReadersNear(() -> context.runOnContext(v -> checkDrain()));
      return;
    }
    synchronized (this) {
      if (!wantsDrain) {
        return;
      }
      wantsDrain = false;
    }
    Handler<Void> handler = drainHandler;
    if (handler != null) {
      handler.handle(null);
    }
  }

  /** After the last write: closes the file, then compares size and hash with the digest. */
  private void verify() {
    Throwable mismatch;
    try {
      file.close();
      mismatch = verifier.bytes() != fetch.size()
          ? new BlobVerificationException(
              "blob " + fetch.digest() + " ended after " + verifier.bytes() + " of " + fetch.size() + " bytes")
          : verifier.matches() ? null : new BlobVerificationException("blob bytes do not match " + fetch.digest());
    } catch (IOException e) {
      mismatch = e;
    }
    Promise<Void> result;
    synchronized (this) {
      result = ended;
    }
    Throwable outcome = mismatch;
    context.runOnContext(v -> {
      if (outcome == null) {
        result.tryComplete();
      } else {
        result.tryFail(outcome);
      }
    });
  }

  @Override
  public void end(Handler<AsyncResult<Void>> handler) {
    end().onComplete(handler);
  }

  /**
   * Completes, on the upstream's event loop, once every byte is on disk (readers have been told)
   * and the file is closed; fails with {@link BlobVerificationException} on any mismatch. No fsync:
   * a blob found on disk after a restart is verified again before it is served.
   */
  @Override
  public Future<Void> end() {
    Promise<Void> result = Promise.promise();
    boolean startDrain;
    Throwable failed;
    synchronized (this) {
      failed = failure != null ? failure : closed ? new IllegalStateException("download aborted") : null;
      ended = result;
      startDrain = failed == null && !draining && !closed;
      draining |= startDrain;
    }
    if (failed != null) {
      result.fail(failed);
    } else if (startDrain) {
      startDrain();
    }
    return result.future();
  }

  /** Stops writing and closes the file after a failed download; the caller then deletes it. */
  Future<Void> abort() {
    synchronized (this) {
      closed = true;
      queue.clear();
      queuedBytes = 0;
    }
    Promise<Void> done = Promise.promise();
    Runnable close = () -> {
      try {
        file.close(); // a drain still writing fails with a closed channel and stops
      } catch (IOException ignored) {
        // nothing more to free: the file is deleted next
      }
      context.runOnContext(v -> done.complete());
    };
    try {
      disk.execute(close);
    } catch (RejectedExecutionException cacheClosed) {
      close.run();
    }
    return done.future();
  }

  /** The cache being closed stops its writer threads: the download then fails instead of waiting forever. */
  private void startDrain() {
    try {
      disk.execute(this::drain);
    } catch (RejectedExecutionException cacheClosed) {
      fail(new IllegalStateException("the blob cache is closed"));
    }
  }

  private synchronized Throwable failure() {
    return failure;
  }

  /** The first failure wins; it reaches the pipe (exception handler) and a pending {@link #end()}. */
  private void fail(Throwable cause) {
    Promise<Void> result;
    synchronized (this) {
      if (failure != null || (closed && ended == null)) {
        return;
      }
      failure = cause;
      closed = true;
      result = ended;
    }
    context.runOnContext(v -> {
      if (exceptionHandler != null) {
        exceptionHandler.handle(cause);
      }
      if (result != null) {
        result.tryFail(cause);
      }
    });
  }

  @Override
  public BlobWriter exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public synchronized BlobWriter setWriteQueueMaxSize(int maxSize) {
    this.maxUnwritten = maxSize;
    return this;
  }

  /** Full while the disk is behind by the queue bound, or every reader by the memory window. */
  @Override
  public boolean writeQueueFull() {
    synchronized (this) {
      if (queuedBytes >= maxUnwritten) {
        return true;
      }
    }
    return fetch.readersBehindBy(InflightFetch.RECENT_BYTES);
  }

  /** The handler runs on the event loop once the disk and the leading reader are within half their bounds. */
  @Override
  public BlobWriter drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    synchronized (this) {
      wantsDrain = handler != null;
    }
    if (handler != null) {
      context.runOnContext(v -> checkDrain());
    }
    return this;
  }
}
