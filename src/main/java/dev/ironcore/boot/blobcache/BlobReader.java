package dev.ironcore.boot.blobcache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import java.io.FileNotFoundException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Sends a byte range of a blob to a client, on the client's context, as fast as the client takes it
 * and no faster. Its {@link BlobFeed} says at each step where the bytes come from. A destination that
 * takes file regions (plain HTTP) is sent what is in the file by sendfile, one region at a time, and
 * waits for the file to grow. One that takes only buffers (TLS) is sent recent bytes straight from the
 * chunks they arrived in, each held until its write completed, and older ones read from the file a
 * piece at a time. While the blob is being downloaded the reader follows the download, never past what
 * was received. The range's last byte is held back until the whole blob is verified, so a corrupt
 * download never reaches a client complete. {@link #close()} (idempotent) frees the file and the blob.
 */
final class BlobReader {
  /** The piece read from the file per write: a slow client then holds at most one besides its queue. */
  static final int FILE_READ_BYTES = 64 * 1024;

  private final ReaderSetup setup;
  private final long end;
  /**
   * The destination takes file regions and the blob has a file: every byte goes by sendfile, once in
   * the file (downloads are written through the page cache, so it comes from memory all the same).
   * Such a reader never holds the download back: however many follow it, none is copied through the JVM.
   */
  private final boolean byKernel;
  /** The last step's feed, for whoever looks at a reader (a debugger, a heap dump). */
  private BlobFeed feed;
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
    this.byKernel = setup.kernel().isPresent() && setup.progress().path() != null;
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
      return false; // the file read or the region pumps again
    }
    if (destination.writeQueueFull()) {
      destination.drainHandler(v -> pump()); // as a pipe does: set each time, a stream may forget it
      return false;
    }
    BlobProgress progress = setup.progress();
    long received = progress.received();
    long written = progress.written();
    boolean verified = progress.verified();
    long limit = verified ? end : Math.min(byKernel ? written : received, end - 1);
    if (progress.failure() != null) {
      fail(progress.failure());
    } else if (verified && position >= end) {
      finish();
    } else if (position >= limit) {
      progress.awaitChange(received, written, () -> setup.context().runOnContext(v -> pump()));
    } else if (byKernel) {
      feed = BlobFeed.SENDFILE;
      sendRegion(setup.kernel().orElseThrow(), progress, limit);
    } else {
      return fromMemoryOrFile(progress, limit);
    }
    return false;
  }

  /**
   * Without sendfile: from memory while the bytes are still there, else read from the file. True when
   * the next piece may follow at once.
   */
  private boolean fromMemoryOrFile(BlobProgress progress, long limit) {
    ChunkSlice recent = progress.inMemory(position, limit);
    if (recent != null) {
      feed = BlobFeed.MEMORY;
      send(recent.buffer(), recent::release);
      return true;
    }
    feed = BlobFeed.FILE_READS;
    fromFile(progress, limit);
    return false;
  }

  /**
   * The kernel sends everything in the file up to {@code inFile} as one region (in the socket's own
   * pace; the reader waits for it); the next region takes what was written meanwhile.
   */
  private void sendRegion(FileSender kernel, BlobProgress progress, long inFile) {
    Path path = progress.path();
    RandomAccessFile region;
    try {
      region = new RandomAccessFile(path.toFile(), "r");
    } catch (FileNotFoundException missing) {
      awaitPublication(path, missing);
      return;
    }
    long from = position;
    long length = inFile - from;
    position = inFile;
    moved();
    setup.sent().sent(BlobFeed.SENDFILE, length);
    busy = true;
    kernel.sendFile(region, from, length).onComplete(done -> {
      busy = false;
      if (done.failed()) {
        fail(done.cause());
      } else {
        pump();
      }
    });
  }

  /**
   * A download is published by renaming its file, and the new path is announced just after: a reader
   * that could not open the file in between waits for the announcement (or the download's failure)
   * and opens the new path. A published file that cannot be opened fails the reader.
   */
  private void awaitPublication(Path tried, Throwable cause) {
    BlobProgress progress = setup.progress();
    if (!tried.equals(progress.path())) {
      setup.context().runOnContext(v -> pump()); // announced meanwhile
    } else if (progress.verified()) {
      fail(cause);
    } else {
      progress.awaitChange(progress.received(), progress.written(), () -> setup.context().runOnContext(v -> pump()));
    }
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
        .onComplete(opened -> {
          busy = false;
          if (opened.failed()) {
            awaitPublication(path, opened.cause());
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
    setup.sent().sent(feed, bytes.length());
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

  /**
   * Tells the download where a reader fed through the JVM is (the download waits for the leading one);
   * with only the held-back last byte left, that it waits for the verification.
   */
  private void moved() {
    if (byKernel) {
      return;
    }
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
