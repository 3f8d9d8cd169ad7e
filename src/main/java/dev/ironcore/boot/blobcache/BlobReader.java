package dev.ironcore.boot.blobcache;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;

/**
 * A byte range of a blob's file as a {@link ReadStream}, read on demand (one chunk per request of the
 * consumer, so a slow client holds one chunk, never more). While the blob is being downloaded it
 * reads behind the writer, never past what was written, and holds back the range's last byte until
 * the whole blob is verified, so a corrupt download never reaches a client complete.
 * {@link #close()} (idempotent) frees the file and the blob; a failed {@link #pipeTo} closes too and
 * leaves the destination un-ended, for the caller to reset.
 */
final class BlobReader implements ReadStream<Buffer> {
  static final int CHUNK_BYTES = 64 * 1024;

  private final ReaderSetup setup;
  private final long end;
  private long position;
  private long demand = Long.MAX_VALUE;
  private boolean busy;
  private boolean closed;
  private AsyncFile file;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  BlobReader(ReaderSetup setup, long offset, long length) {
    this.setup = setup;
    this.position = offset;
    this.end = offset + length;
  }

  @Override
  public BlobReader handler(Handler<Buffer> handler) {
    this.handler = handler;
    pump();
    return this;
  }

  @Override
  public BlobReader pause() {
    demand = 0;
    return this;
  }

  @Override
  public BlobReader resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public BlobReader fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    pump();
    return this;
  }

  @Override
  public BlobReader endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public BlobReader exceptionHandler(Handler<Throwable> exceptionHandler) {
    this.exceptionHandler = exceptionHandler;
    return this;
  }

  @Override
  public Future<Void> pipeTo(WriteStream<Buffer> destination) {
    // A client that went away fails the pipe; without close() the file would stay open. A failed
    // blob must not end the destination normally: the caller resets it (a truncated, aborted answer).
    return pipe().endOnFailure(false).to(destination).onFailure(failure -> close());
  }

  @Override
  public void pipeTo(WriteStream<Buffer> destination, Handler<AsyncResult<Void>> completion) {
    pipeTo(destination).onComplete(completion);
  }

  /** Stops reading and frees the file handle and the blob (it may be evicted again). */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (file != null) {
      file.close();
    }
    setup.release().run();
  }

  private void pump() {
    if (busy || closed || demand == 0 || handler == null) {
      return;
    }
    BlobProgress progress = setup.progress();
    long written = progress.written();
    boolean verified = progress.verified();
    if (progress.failure() != null) {
      fail(progress.failure());
    } else if (verified && position >= end) {
      finish();
    } else if (position >= (verified ? end : Math.min(written, end - 1))) {
      progress.awaitChange(written, () -> setup.context().runOnContext(v -> pump()));
    } else if (file == null) {
      open(progress.path());
    } else {
      readChunk(verified ? end : Math.min(written, end - 1));
    }
  }

  /** A download is published by renaming its file: a reader that opened late retries at the new path. */
  private void open(Path path) {
    busy = true;
    setup.context().owner().fileSystem().open(path.toString(), new OpenOptions().setRead(true).setWrite(false))
        .recover(notThere -> path.equals(setup.progress().path()) ? Future.failedFuture(notThere)
            : setup.context().owner().fileSystem().open(setup.progress().path().toString(), new OpenOptions().setRead(true)))
        .onComplete(opened -> {
          busy = false;
          if (opened.failed()) {
            fail(opened.cause());
          } else if (closed) {
            opened.result().close();
          } else {
            file = opened.result();
            pump();
          }
        });
  }

  private void readChunk(long limit) {
    int length = (int) Math.min(CHUNK_BYTES, limit - position);
    busy = true;
    file.read(Buffer.buffer(length), 0, position, length).onComplete(read -> {
      busy = false;
      if (closed) {
        return;
      }
      if (read.failed() || read.result().length() == 0) {
        fail(read.failed() ? read.cause() : new IllegalStateException("blob file shorter than written"));
        return;
      }
      deliver(read.result());
    });
  }

  private void deliver(Buffer chunk) {
    position += chunk.length();
    setup.served().accept(chunk.length());
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    handler.handle(chunk);
    pump();
  }

  private void finish() {
    close();
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void fail(Throwable cause) {
    close();
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }
}
