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
 * A byte range of a blob as a {@link ReadStream}, read on demand (one chunk per request of the
 * consumer, so a slow client holds one chunk, never more). While the blob is being downloaded it
 * follows the download: bytes not yet on disk come straight from memory, bytes the writer has left
 * behind from the file; never past what was received. The range's last byte is held back until the
 * whole blob is verified, so a corrupt download never reaches a client complete.
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
  private boolean pumping;
  private boolean pumpAgain;
  private boolean closed;
  private AsyncFile file;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  BlobReader(ReaderSetup setup, long offset, long length) {
    this.setup = setup;
    this.position = offset;
    this.end = offset + length;
    if (offset < end - 1) { // a reader of one byte only waits for the verification: it must not hold the download
      setup.progress().readerAt(this, offset);
    }
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
    setup.progress().readerDone(this);
    if (file != null) {
      file.close();
    }
    setup.release().run();
  }

  /**
   * A loop, not recursion: chunks from memory follow one another without growing the stack. A pump
   * asked for meanwhile (a callback that completed at once) makes the loop look again.
   */
  private void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        while (step()) {
          // the next chunk
        }
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  /** Delivers one chunk if it is at hand; true when the next may follow at once. */
  private boolean step() {
    if (busy || closed || demand == 0 || handler == null) {
      return false;
    }
    BlobProgress progress = setup.progress();
    long received = progress.received();
    boolean verified = progress.verified();
    long limit = verified ? end : Math.min(received, end - 1);
    if (progress.failure() != null) {
      fail(progress.failure());
    } else if (verified && position >= end) {
      finish();
    } else if (position >= limit) {
      progress.awaitChange(received, () -> setup.context().runOnContext(v -> pump()));
    } else {
      Buffer fromMemory = progress.inMemory(position, limit);
      if (fromMemory != null) {
        deliver(fromMemory);
        return true;
      }
      if (file == null) {
        open(progress.path());
      } else {
        readChunk(Math.min(progress.written(), limit));
      }
    }
    return false;
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
      pump();
    });
  }

  private void deliver(Buffer chunk) {
    position += chunk.length();
    if (position >= end - 1) {
      setup.progress().readerDone(this); // only the verification is awaited
    } else {
      setup.progress().readerAt(this, position);
    }
    setup.served().accept(chunk.length());
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    handler.handle(chunk);
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
