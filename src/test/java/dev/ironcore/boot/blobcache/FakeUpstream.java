package dev.ironcore.boot.blobcache;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.atomic.AtomicInteger;

/** A registry stand-in: serves fixed bytes, at most 16 KiB per read, optionally holding or breaking at an offset. */
final class FakeUpstream implements Upstream {
  private static final int READ_BYTES = 16 * 1024;
  private final byte[] bytes;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile long failAt = -1;
  private long holdAt = -1;
  private volatile long announcedSize = -1;
  private volatile boolean cancelled;

  FakeUpstream(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Breaks the connection once this many bytes were sent. */
  FakeUpstream failingAt(long offset) {
    this.failAt = offset;
    return this;
  }

  /** Sends this many bytes, then nothing until {@link #release()}: readers join a download under way. */
  synchronized FakeUpstream holdingAt(long offset) {
    this.holdAt = offset;
    return this;
  }

  synchronized void release() {
    holdAt = -1;
    notifyAll();
  }

  FakeUpstream announcing(long size) {
    this.announcedSize = size;
    return this;
  }

  int fetches() {
    return fetches.get();
  }

  boolean cancelled() {
    return cancelled;
  }

  @Override
  public Future<UpstreamBlob> fetch() {
    fetches.incrementAndGet();
    long size = announcedSize >= 0 ? announcedSize : bytes.length;
    return Future.succeededFuture(new UpstreamBlob(size, new Body()));
  }

  private final class Body implements BlobBody {
    private int position;
    private boolean closed;

    @Override
    public int read(ByteBuffer destination) throws IOException {
      synchronized (FakeUpstream.this) {
        while (holdAt >= 0 && position >= holdAt && !closed) {
          try {
            FakeUpstream.this.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("read interrupted");
          }
        }
        if (closed) {
          throw new AsynchronousCloseException();
        }
        if (failAt >= 0 && position >= failAt) {
          throw new IOException("connection reset by registry");
        }
        if (position >= bytes.length) {
          return -1;
        }
        int length = (int) Math.min(Math.min(destination.remaining(), READ_BYTES), stop() - position);
        destination.put(bytes, position, length);
        position += length;
        return length;
      }
    }

    /** Where the bytes at hand end: the hold, the break or the end. */
    private long stop() {
      long stop = bytes.length;
      stop = holdAt >= 0 ? Math.min(stop, holdAt) : stop;
      return failAt >= 0 ? Math.min(stop, failAt) : stop;
    }

    @Override
    public int available() {
      synchronized (FakeUpstream.this) {
        return (int) Math.max(0, Math.min(READ_BYTES, stop() - position));
      }
    }

    @Override
    public void close() {
      synchronized (FakeUpstream.this) {
        closed = true;
        cancelled = true;
        FakeUpstream.this.notifyAll();
      }
    }
  }
}
