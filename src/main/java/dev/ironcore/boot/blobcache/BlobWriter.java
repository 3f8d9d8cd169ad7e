package dev.ironcore.boot.blobcache;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The download side: an upstream response {@code pipeTo}s into it. Each chunk is hashed and written
 * to the download file; readers are told once the write completed. Backpressure is the file's write
 * queue, so a download buffers at most that queue in memory however slow the disk.
 * {@link #end()} succeeds only when exactly the announced bytes arrived and their sha256 is the digest.
 */
final class BlobWriter implements WriteStream<Buffer> {
  private final AsyncFile file;
  private final InflightFetch fetch;
  private final DigestVerifier verifier;
  private Handler<Throwable> exceptionHandler;
  private boolean closed;
  private final Queue<PendingWrite> inOrder = new ArrayDeque<>();
  /** Completed when no write is outstanding any more, so {@link #end()} never outruns a write. */
  private Promise<Void> allWritten;

  BlobWriter(AsyncFile file, InflightFetch fetch) {
    this.file = file;
    this.fetch = fetch;
    this.verifier = new DigestVerifier(fetch.digest());
  }

  @Override
  public Future<Void> write(Buffer data) {
    Promise<Void> written = Promise.promise();
    write(data, written);
    return written.future();
  }

  @Override
  public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
    if (verifier.bytes() + data.length() > fetch.size()) {
      tooMuch(handler);
      return;
    }
    verifier.update(data);
    PendingWrite pending = new PendingWrite(data.length());
    inOrder.add(pending);
    file.write(data).onComplete(result -> {
      if (result.succeeded()) {
        pending.done = true;
        advanceWrittenPrefix();
      } else {
        if (allWritten != null) {
          allWritten.tryFail(result.cause());
        }
        if (exceptionHandler != null) {
          exceptionHandler.handle(result.cause());
        }
      }
      handler.handle(result);
    });
  }

  /** AsyncFile writes may complete out of order: readers learn only of the contiguous written prefix. */
  private void advanceWrittenPrefix() {
    while (!inOrder.isEmpty() && inOrder.peek().done) {
      fetch.advance(inOrder.poll().length);
    }
    if (inOrder.isEmpty() && allWritten != null) {
      allWritten.tryComplete();
    }
  }

  private static final class PendingWrite {
    final int length;
    boolean done;

    PendingWrite(int length) {
      this.length = length;
    }
  }

  private void tooMuch(Handler<AsyncResult<Void>> handler) {
    BlobVerificationException failure = new BlobVerificationException(
        "blob " + fetch.digest() + " is longer than its announced " + fetch.size() + " bytes");
    if (exceptionHandler != null) {
      exceptionHandler.handle(failure);
    }
    handler.handle(Future.failedFuture(failure));
  }

  @Override
  public void end(Handler<AsyncResult<Void>> handler) {
    end().onComplete(handler);
  }

  /**
   * Waits for every write to complete (readers have then been told of every byte), closes the file,
   * then verifies: fails with {@link BlobVerificationException} on any mismatch. No fsync: a blob
   * found on disk after a restart is verified again before it is served.
   */
  @Override
  public Future<Void> end() {
    closed = true;
    allWritten = Promise.promise();
    if (inOrder.isEmpty()) {
      allWritten.complete();
    }
    return allWritten.future().compose(written -> file.close()).compose(fileClosed -> {
      if (verifier.bytes() != fetch.size()) {
        return Future.failedFuture(new BlobVerificationException(
            "blob " + fetch.digest() + " ended after " + verifier.bytes() + " of " + fetch.size() + " bytes"));
      }
      return verifier.matches() ? Future.succeededFuture()
          : Future.failedFuture(new BlobVerificationException("blob bytes do not match " + fetch.digest()));
    });
  }

  /** Closes the file after a failed download; the caller deletes it. */
  Future<Void> abort() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return file.close().recover(failedToClose -> Future.succeededFuture());
  }

  @Override
  public BlobWriter exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public BlobWriter setWriteQueueMaxSize(int maxSize) {
    file.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return file.writeQueueFull();
  }

  @Override
  public BlobWriter drainHandler(Handler<Void> handler) {
    file.drainHandler(handler);
    return this;
  }
}
