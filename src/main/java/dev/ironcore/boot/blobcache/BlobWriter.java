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
 * announced to readers at once (they take it from memory) and queued for two stages on the
 * cache's writer threads: one hashes, the other appends whatever has queued up meanwhile in one
 * write. So the event loop only receives and sends, and hashing (CPU) and writing (mostly waiting
 * for the disk) overlap instead of adding up. Backpressure: the upstream is paused while more than
 * {@link #setWriteQueueMaxSize} bytes wait for either stage, which bounds a download's memory, and
 * while its readers are all far behind (see {@link InflightFetch}).
 * {@link #end()} succeeds only when exactly the announced bytes arrived and their sha256 is the digest.
 */
final class BlobWriter implements WriteStream<Buffer> {
  static final int DEFAULT_MAX_UNWRITTEN = 4 * 1024 * 1024;
  /** The largest block size direct writes can align to: the staging buffers' alignment. */
  static final int MAX_BLOCK_SIZE = 64 * 1024;
  private static final int STAGING_BYTES = 1024 * 1024;
  /** One per writer thread, aligned for direct writes. */
  private static final ThreadLocal<ByteBuffer> STAGING = ThreadLocal.withInitial(
      () -> ByteBuffer.allocateDirect(STAGING_BYTES + MAX_BLOCK_SIZE).alignedSlice(MAX_BLOCK_SIZE).slice(0, STAGING_BYTES));

  private final FileChannel file;
  /** Direct writes must be whole blocks: the bytes of a last partial block wait here for more. */
  private final int blockSize;
  private final ByteBuffer partialBlock;
  private final InflightFetch fetch;
  private final Context context;
  private final Executor disk;
  /** Only the hashing stage touches it (and {@link #stageFinished} once both stages are done). */
  private final DigestVerifier verifier;
  /** Only the writing stage touches it. */
  private long appended;

  // Event-loop state.
  private long accepted;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> drainHandler;

  // Shared with the writer threads: guarded by this.
  private final Stage hashing = new Stage(this::hash, () -> { });
  private final Stage writing = new Stage(this::append, this::appendLastBlock);
  /** Stages that did their last work. */
  private int stagesDone;
  private int maxUnwritten = DEFAULT_MAX_UNWRITTEN;
  private boolean wantsDrain;
  private boolean closed;
  private Throwable failure;
  private Promise<Void> ended;

  /** {@code context}: the upstream's event loop, where callbacks run; {@code disk}: runs the hashing and writing. */
  BlobWriter(DiskStore.DownloadFile file, InflightFetch fetch, Context context, Executor disk) {
    this.file = file.channel();
    this.blockSize = file.blockSize();
    this.partialBlock = ByteBuffer.allocate(blockSize);
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
    List<Stage> toStart = new ArrayList<>(2);
    synchronized (this) {
      for (Stage stage : List.of(hashing, writing)) {
        if (stage.add(data)) {
          toStart.add(stage);
        }
      }
    }
    toStart.forEach(this::start);
    handler.handle(Future.succeededFuture());
  }

  /** Work a stage does on a batch of chunks, in order. */
  @FunctionalInterface
  private interface BatchWork {
    void process(List<Buffer> batch) throws IOException;
  }

  /** Work a stage does once after its last chunk. */
  @FunctionalInterface
  private interface LastWork {
    void run() throws IOException;
  }

  /** Marks the end of a stage's chunks. */
  private static final List<Buffer> LAST = List.of();

  /** One ordered pass over every chunk, run by at most one writer thread at a time. Guarded by the writer. */
  private final class Stage {
    private final BatchWork work;
    private final LastWork last;
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean running;
    private boolean finished;

    Stage(BatchWork work, LastWork last) {
      this.work = work;
      this.last = last;
    }

    /** Queues the chunk: true when the stage must be started. */
    boolean add(Buffer chunk) {
      queue.add(chunk);
      queuedBytes += chunk.length();
      return claim();
    }

    /** Marks it running unless it is, has finished or the writer is closed: true when the caller starts it. */
    boolean claim() {
      if (running || finished || closed) {
        return false;
      }
      running = true;
      return true;
    }

    /** On a writer thread: processes batches until the queue is empty, then does its last work if ended. */
    void drain() {
      try {
        for (List<Buffer> batch = next(); batch != null; batch = next()) {
          if (batch == LAST) {
            last.run();
            stageFinished();
            return;
          }
          work.process(batch);
          progressed(this, batch.stream().mapToLong(Buffer::length).sum());
        }
      } catch (IOException e) {
        fail(new CacheDiskException(e));
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    /** All queued chunks; {@link #LAST} when the last work is due; null (no longer running) when there is nothing to do. */
    private List<Buffer> next() {
      synchronized (BlobWriter.this) {
        if (!closed && !queue.isEmpty()) {
          List<Buffer> batch = new ArrayList<>(queue);
          queue.clear();
          return batch;
        }
        running = false;
        if (closed || ended == null || finished) {
          return null;
        }
        finished = true;
        return LAST;
      }
    }
  }

  private void hash(List<Buffer> batch) {
    batch.forEach(verifier::update);
  }

  /**
   * Appends the batch through this thread's direct staging buffer (handing the JDK heap buffers
   * instead would make it allocate a temporary direct buffer per chunk) and tells readers which
   * bytes are now on disk: whole blocks only, the rest waits in {@link #partialBlock}.
   */
  private void append(List<Buffer> batch) throws IOException {
    ByteBuffer staging = STAGING.get().clear();
    staging.put(partialBlock.flip());
    partialBlock.clear();
    long onDisk = 0;
    for (Buffer chunk : batch) {
      appended += chunk.length();
      ByteBuffer source = chunk.getByteBuf().nioBuffer();
      while (source.hasRemaining()) {
        if (!staging.hasRemaining()) {
          onDisk += writeFully(staging.flip());
          staging.clear();
        }
        int take = Math.min(source.remaining(), staging.remaining());
        staging.put(source.slice(source.position(), take));
        source.position(source.position() + take);
      }
    }
    int wholeBlocks = staging.position() - staging.position() % blockSize;
    staging.flip();
    partialBlock.put(staging.slice(wholeBlocks, staging.limit() - wholeBlocks));
    fetch.written(onDisk + writeFully(staging.limit(wholeBlocks)));
  }

  /**
   * After the last chunk: the last partial block, padded to a whole one for the direct write and
   * then cut back to size; then the file is closed.
   */
  private void appendLastBlock() throws IOException {
    int tail = partialBlock.position();
    if (tail > 0) {
      ByteBuffer staging = STAGING.get().clear();
      staging.put(partialBlock.flip()).limit(blockSize).position(0);
      writeFully(staging);
      file.truncate(appended);
      fetch.written(tail);
    }
    file.close();
  }

  private int writeFully(ByteBuffer bytes) throws IOException {
    int length = bytes.remaining();
    while (bytes.hasRemaining()) {
      file.write(bytes);
    }
    return length;
  }

  /** A stage took {@code bytes} off its queue: the upstream may go on once both caught up. */
  private void progressed(Stage stage, long bytes) {
    boolean caughtUp;
    synchronized (this) {
      stage.queuedBytes -= bytes;
      caughtUp = wantsDrain && stagesCaughtUp();
    }
    if (caughtUp) {
      context.runOnContext(v -> checkDrain());
    }
  }

  private boolean stagesCaughtUp() {
    return Math.max(hashing.queuedBytes, writing.queuedBytes) <= maxUnwritten / 2;
  }

  /** On the event loop: resumes the upstream once the disk and the leading reader both caught up. */
  private void checkDrain() {
    synchronized (this) {
      if (!wantsDrain || !stagesCaughtUp()) {
        return; // not waiting, or a stage calls again
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

  /** A stage did its last work: once both did, compares size and hash with the digest. */
  private void stageFinished() {
    Promise<Void> result;
    synchronized (this) {
      if (++stagesDone < 2 || closed) {
        return;
      }
      closed = true;
      result = ended;
    }
    Throwable mismatch = verifier.bytes() != fetch.size()
        ? new BlobVerificationException(
            "blob " + fetch.digest() + " ended after " + verifier.bytes() + " of " + fetch.size() + " bytes")
        : verifier.matches() ? null : new BlobVerificationException("blob bytes do not match " + fetch.digest());
    context.runOnContext(v -> {
      if (mismatch == null) {
        result.tryComplete();
      } else {
        result.tryFail(mismatch);
      }
    });
  }

  @Override
  public void end(Handler<AsyncResult<Void>> handler) {
    end().onComplete(handler);
  }

  /**
   * Completes, on the upstream's event loop, once every byte is hashed and on disk (readers have
   * been told) and the file is closed; fails with {@link BlobVerificationException} on any mismatch.
   * No fsync: a blob found on disk after a restart is verified again before it is served.
   */
  @Override
  public Future<Void> end() {
    Promise<Void> result = Promise.promise();
    List<Stage> toStart = new ArrayList<>(2);
    Throwable failed;
    synchronized (this) {
      failed = failure != null ? failure : closed ? new IllegalStateException("download aborted") : null;
      ended = result;
      if (failed == null) {
        for (Stage stage : List.of(hashing, writing)) {
          if (stage.claim()) {
            toStart.add(stage);
          }
        }
      }
    }
    if (failed != null) {
      result.fail(failed);
    }
    toStart.forEach(this::start);
    return result.future();
  }

  /** Stops writing and closes the file after a failed download; the caller then deletes it. */
  Future<Void> abort() {
    synchronized (this) {
      closed = true;
      for (Stage stage : List.of(hashing, writing)) {
        stage.queue.clear();
        stage.queuedBytes = 0;
      }
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
  private void start(Stage stage) {
    try {
      disk.execute(stage::drain);
    } catch (RejectedExecutionException cacheClosed) {
      fail(new IllegalStateException("the blob cache is closed"));
    }
  }

  private synchronized Throwable failure() {
    return failure;
  }

  /**
   * The first failure wins. It reaches a pending {@link #end()} and the exception handler, and wakes
   * a pipe waiting for the drain: Vert.x's pipe does not listen to a write stream's exceptions, so a
   * paused upstream would otherwise wait forever; resumed, its next write fails and ends the pipe.
   */
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
      Handler<Void> waitingPipe = drainHandler;
      if (waitingPipe != null) {
        waitingPipe.handle(null);
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

  /** Full while hashing or the disk is behind by the queue bound, or every reader by the memory window. */
  @Override
  public boolean writeQueueFull() {
    synchronized (this) {
      if (Math.max(hashing.queuedBytes, writing.queuedBytes) >= maxUnwritten) {
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
