package dev.ironcore.boot.blobcache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;

/**
 * Sends a byte range of a blob to a client, on the client's context, as fast as the client takes it
 * and no faster (a write only while its queue is not full). Recent bytes go straight from the chunks
 * they arrived in, each held until its write completed; older ones are read from the file, one piece
 * at a time. While the blob is being downloaded it follows the download, never past what was
 * received. The range's last byte is held back until the whole blob is verified, so a corrupt
 * download never reaches a client complete. {@link #close()} (idempotent) frees the file and the blob.
 */
final class BlobReader {
  /** The piece read from the file per write: a slow client then holds at most one besides its queue. */
  static final int FILE_READ_BYTES = 64 * 1024;

  private final ReaderSetup setup;
  private final long end;
  private final Promise<Void> sent = Promise.promise();
  private long position;
  private WriteStream<Buffer> destination;
  private boolean busy;
  private boolean pumping;
  private boolean pumpAgain;
  private boolean closed;
  private AsyncFile file;

  /** A reader of {@code [offset, offset + length)}, which must lie within the blob's {@code size} bytes. */
  static BlobReader of(ReaderSetup setup, long offset, long length, long size) {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new IllegalArgumentException("range outside the blob");
    }
    return new BlobReader(setup, offset, length);
  }

  private BlobReader(ReaderSetup setup, long offset, long length) {
    this.setup = setup;
    this.position = offset;
    this.end = offset + length;
    moved();
  }

  /**
   * Sends the range and ends {@code destination}. Each buffer written is valid until its write
   * completes. Fails, leaving the destination un-ended for the caller to reset, when the blob fails or
   * the destination does (a client gone).
   */
  Future<Void> sendTo(WriteStream<Buffer> destination) {
    this.destination = destination;
    destination.exceptionHandler(this::fail);
    pump();
    return sent.future();
  }

  /** Stops reading and frees the file handle and the blob (it may be evicted again). */
  void close() {
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
   * A loop, not recursion: pieces at hand follow one another without growing the stack. A pump
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
          // the next piece
        }
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  /** Sends one piece if it is at hand; true when the next may follow at once. */
  private boolean step() {
    if (busy || closed) {
      return false; // the file read pumps again
    }
    if (destination.writeQueueFull()) {
      destination.drainHandler(v -> pump()); // as a pipe does: set each time, a stream may forget it
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
      ChunkSlice recent = progress.inMemory(position, limit);
      if (recent != null) {
        send(recent.buffer(), recent::release);
        return true;
      }
      fromFile(progress, limit);
    }
    return false;
  }

  private void fromFile(BlobProgress progress, long limit) {
    Path path = progress.path();
    if (path == null) {
      fail(new IllegalStateException("bytes of a blob streamed through are no longer in memory"));
    } else if (file == null) {
      open(path);
    } else {
      readPiece(Math.min(progress.written(), limit));
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

  private void readPiece(long limit) {
    int length = (int) Math.min(FILE_READ_BYTES, limit - position);
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
      send(read.result(), () -> { });
      pump();
    });
  }

  private void send(Buffer bytes, Runnable release) {
    position += bytes.length();
    moved();
    setup.served().accept(bytes.length());
    Future<Void> write;
    try {
      write = destination.write(bytes);
    } catch (RuntimeException closed) { // a response that was closed meanwhile refuses the write
      release.run();
      fail(closed);
      return;
    }
    write.onComplete(written -> {
      release.run();
      if (written.failed()) {
        fail(written.cause());
      }
    });
  }

  /** Tells the download where this reader is; with only the held-back last byte left, that it waits for the verification. */
  private void moved() {
    if (position < end - 1) {
      setup.progress().readerAt(this, position, end);
    } else {
      setup.progress().readerAwaitsVerification(this, position, end);
    }
  }

  private void finish() {
    close();
    try {
      destination.end().onComplete(sent);
    } catch (RuntimeException closed) {
      sent.tryFail(closed);
    }
  }

  private void fail(Throwable cause) {
    close();
    sent.tryFail(cause);
  }
}
