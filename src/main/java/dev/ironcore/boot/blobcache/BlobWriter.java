package dev.ironcore.boot.blobcache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hashes a download's bytes and appends them to its file as the {@link DownloadPump} publishes them:
 * two ordered stages on the cache's writer threads, so hashing (CPU) and writing (mostly waiting for
 * the disk, see {@link FileAppender}) overlap instead of adding up. Both read the chunks' memory where
 * the registry's bytes landed. Without a file (a blob streamed through) it only hashes.
 * {@link #verified()} succeeds only when exactly the announced bytes arrived and their sha256 is the
 * digest; the first failure wins.
 */
final class BlobWriter {
  /** What a stage does with the published bytes, in order. */
  interface StageWork {
    /** How far the stage may go now. */
    long target();

    void process(List<ChunkSlice> slices) throws IOException;

    /** The bytes up to {@code position} are done. */
    void reached(long position);

    /** Once, after the last byte. */
    void last() throws IOException;
  }

  private final InflightFetch fetch;
  private final FileAppender file;
  private final Context context;
  private final Executor threads;
  /** Only the hashing stage touches it, and {@link #stageFinished} once every stage is done. */
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
  BlobWriter(InflightFetch fetch, FileChannel file, Context context, Executor threads) {
    this.fetch = fetch;
    this.file = file == null ? null : new FileAppender(fetch, file);
    this.context = context;
    this.threads = threads;
    this.verifier = new DigestVerifier(fetch.digest());
    Stage hashing = new Stage(new Hashing());
    this.stages = file == null ? List.of(hashing) : List.of(hashing, new Stage(this.file));
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

  /** Stops the stages; {@link #verified()} fails with {@code cause} unless it already completed. */
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
          file.close();
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

  /** The hashing stage: every received byte, in order. */
  private final class Hashing implements StageWork {
    @Override
    public long target() {
      return fetch.received();
    }

    @Override
    public void process(List<ChunkSlice> slices) {
      slices.forEach(slice -> verifier.update(slice.bytes()));
    }

    @Override
    public void reached(long position) {
      fetch.hashed(position);
    }

    @Override
    public void last() {
      // the digest is compared once every stage is done
    }
  }

  /** One ordered pass over every byte, run by at most one writer thread at a time. */
  private final class Stage {
    private final StageWork work;
    /** Only the thread running the stage touches it. */
    private long position;
    // Guarded by the writer.
    private boolean running;
    private boolean again;

    Stage(StageWork work) {
      this.work = work;
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
            work.last();
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
      for (long to = work.target(); position < to; to = work.target()) {
        List<ChunkSlice> slices = fetch.slices(position, to);
        try {
          work.process(slices);
        } finally {
          slices.forEach(ChunkSlice::release);
        }
        position = to;
        work.reached(to);
      }
    }
  }
}
