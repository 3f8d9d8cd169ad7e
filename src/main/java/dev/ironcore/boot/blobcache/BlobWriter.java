package dev.ironcore.boot.blobcache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hashes a download's bytes and appends them to its file as the {@link DownloadPump} publishes them:
 * two ordered stages on the cache's writer threads, so hashing (CPU) and writing (mostly waiting for
 * the disk) overlap instead of adding up. Both read the chunks' memory where the registry's bytes
 * landed; direct writes go from it in whole blocks (the last one padded, then the file cut back).
 * Without a file (a blob streamed through) it only hashes. {@link #verified()} succeeds only when
 * exactly the announced bytes arrived and their sha256 is the digest; the first failure wins.
 */
final class BlobWriter {
  /** The largest block size direct writes can align to: the chunks' alignment. */
  static final int MAX_BLOCK_SIZE = 64 * 1024;

  private final InflightFetch fetch;
  private final FileChannel file;
  /** Direct writes must be whole blocks: 1 when any length goes. */
  private final int blockSize;
  private final Context context;
  private final Executor threads;
  /** Only the hashing stage touches it, and {@link #stageFinished} once both stages are done. */
  private final DigestVerifier verifier;
  private final Promise<Void> verified = Promise.promise();
  private final List<Stage> stages;

  // Guarded by this.
  private boolean ended;
  private boolean closed;
  private int stagesDone;

  /**
   * {@code file}: the download file, or null for a blob streamed through; {@code context}: where
   * {@link #verified()} completes; {@code threads}: run the stages.
   */
  BlobWriter(InflightFetch fetch, DiskStore.DownloadFile file, Context context, Executor threads) {
    this.fetch = fetch;
    this.file = file == null ? null : file.channel();
    this.blockSize = file == null ? 1 : file.blockSize();
    this.context = context;
    this.threads = threads;
    this.verifier = new DigestVerifier(fetch.digest());
    Stage hashing = new Stage(fetch::received, this::hash, fetch::hashed, () -> { });
    this.stages = file == null ? List.of(hashing)
        : List.of(hashing, new Stage(() -> alignDown(fetch.received()), this::append, fetch::written, this::appendLast));
  }

  /** Succeeds, on the context, once every byte is hashed (and on disk, its file closed) and matched the digest. */
  Future<Void> verified() {
    return verified.future();
  }

  /** More bytes were published in the fetch: idle stages start on them. */
  void published() {
    for (Stage stage : stages) {
      if (stage.claim()) {
        start(stage);
      }
    }
  }

  /** The last byte was published: the stages finish, then the bytes are compared with the digest. */
  void end() {
    synchronized (this) {
      ended = true;
    }
    published();
  }

  /** Stops both stages; {@link #verified()} fails with {@code cause} unless it already completed. */
  void fail(Throwable cause) {
    synchronized (this) {
      closed = true;
    }
    context.runOnContext(v -> verified.tryFail(cause));
  }

  /** After a failure: closes the file once no stage writes to it any more; the caller then deletes it. */
  Future<Void> abort() {
    synchronized (this) {
      closed = true;
    }
    Promise<Void> done = Promise.promise();
    Runnable close = () -> {
      try {
        if (file != null) {
          file.close(); // a stage still writing fails with a closed channel and stops
        }
      } catch (IOException ignored) {
        // nothing more to free: the file is deleted next
      }
      context.runOnContext(v -> done.complete());
    };
    try {
      threads.execute(close);
    } catch (RejectedExecutionException cacheClosed) {
      close.run();
    }
    return done.future();
  }

  private void hash(List<ChunkSlice> slices) {
    slices.forEach(slice -> verifier.update(slice.bytes()));
  }

  /** One gathering write of whole blocks straight from the chunks. */
  private void append(List<ChunkSlice> slices) throws IOException {
    ByteBuffer[] blocks = slices.stream().map(ChunkSlice::bytes).toArray(ByteBuffer[]::new);
    long left = slices.stream().mapToLong(ChunkSlice::length).sum();
    while (left > 0) {
      left -= file.write(blocks);
    }
  }

  /** The last partial block, padded to a whole one with whatever follows it in its chunk, then cut back. */
  private void appendLast() throws IOException {
    long size = fetch.size();
    long tail = alignDown(size);
    if (tail < size) {
      List<ChunkSlice> padded = fetch.slices(tail, tail + blockSize);
      try {
        append(padded);
      } finally {
        padded.forEach(ChunkSlice::release);
      }
      file.truncate(size);
    }
    file.close();
    fetch.written(size);
  }

  private long alignDown(long position) {
    return position - position % blockSize;
  }

  /** A stage did its last work: once all did, compares size and hash with the digest. */
  private void stageFinished() {
    synchronized (this) {
      if (++stagesDone < stages.size() || closed) {
        return;
      }
      closed = true;
    }
    Throwable mismatch = verifier.bytes() != fetch.size()
        ? new BlobVerificationException(
            "blob " + fetch.digest() + " ended after " + verifier.bytes() + " of " + fetch.size() + " bytes")
        : verifier.matches() ? null : new BlobVerificationException("blob bytes do not match " + fetch.digest());
    context.runOnContext(v -> {
      if (mismatch == null) {
        verified.tryComplete();
      } else {
        verified.tryFail(mismatch);
      }
    });
  }

  /** The cache being closed stops its writer threads: the download then fails instead of waiting forever. */
  private void start(Stage stage) {
    try {
      threads.execute(stage::drain);
    } catch (RejectedExecutionException cacheClosed) {
      fail(new IllegalStateException("the blob cache is closed"));
    }
  }

  /** Where a stage may go: the bytes up to a position of the fetch. */
  @FunctionalInterface
  private interface Target {
    long position();
  }

  /** Work on the next published bytes, in order. */
  @FunctionalInterface
  private interface Work {
    void process(List<ChunkSlice> slices) throws IOException;
  }

  @FunctionalInterface
  private interface Progress {
    void reached(long position);
  }

  /** Work done once after the last byte. */
  @FunctionalInterface
  private interface LastWork {
    void run() throws IOException;
  }

  /** One ordered pass over every byte, run by at most one writer thread at a time. */
  private final class Stage {
    private final Target target;
    private final Work work;
    private final Progress progress;
    private final LastWork last;
    /** Only the thread running the stage touches it. */
    private long position;
    // Guarded by the writer.
    private boolean running;
    private boolean again;

    Stage(Target target, Work work, Progress progress, LastWork last) {
      this.target = target;
      this.work = work;
      this.progress = progress;
      this.last = last;
    }

    /** True when the caller must start it; a running stage looks again before it stops. */
    boolean claim() {
      synchronized (BlobWriter.this) {
        if (running) {
          again = true;
          return false;
        }
        running = !closed;
        return running;
      }
    }

    /** On a writer thread: catches up with the published bytes until none are new; after the end, its last work. */
    void drain() {
      try {
        while (true) {
          boolean lastRound;
          synchronized (BlobWriter.this) {
            if (closed) {
              return;
            }
            again = false;
            lastRound = ended; // read first: every byte was published before the end
          }
          catchUp();
          if (lastRound) {
            last.run();
            stageFinished();
            return;
          }
          synchronized (BlobWriter.this) {
            if (!again) {
              running = false;
              return;
            }
          }
        }
      } catch (IOException e) {
        fail(new CacheDiskException(e));
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void catchUp() throws IOException {
      for (long to = target.position(); position < to; to = target.position()) {
        List<ChunkSlice> slices = fetch.slices(position, to);
        try {
          work.process(slices);
        } finally {
          slices.forEach(ChunkSlice::release);
        }
        position = to;
        progress.reached(to);
      }
    }
  }
}
