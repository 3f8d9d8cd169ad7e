package dev.ironcore.boot.blobcache;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link #BYTES} consecutive bytes of one blob, from {@link #start()} on, in a direct buffer: the
 * registry's bytes are read into it and then hashed, written to disk and sent to clients fed through
 * the JVM from it, never copied in between. Shared by reference count: whoever reads or
 * fills it holds a reference, and the last release gives it back to its {@link ChunkPool} for reuse.
 */
final class Chunk {
  static final int BYTES = 1024 * 1024;
  private final ByteBuffer memory;
  private final ChunkPool pool;
  private final AtomicInteger references = new AtomicInteger();
  private long start;

  Chunk(ByteBuffer memory, ChunkPool pool) {
    this.memory = memory;
    this.pool = pool;
  }

  /** Taken from the pool for the bytes from {@code start} on, with one reference. */
  Chunk reuse(long start) {
    this.start = start;
    references.set(1);
    return this;
  }

  long start() {
    return start;
  }

  long end() {
    return start + BYTES;
  }

  /** The blob's bytes {@code [from, to)} within this chunk, as a buffer of their own position and limit. */
  ByteBuffer bytes(long from, long to) {
    return memory.duplicate().limit((int) (to - start)).position((int) (from - start));
  }

  /** The same bytes for a Vert.x write; valid only while the caller holds its reference. */
  Buffer buffer(long from, long to) {
    return Buffer.buffer(Unpooled.wrappedBuffer(bytes(from, to)));
  }

  Chunk retain() {
    if (references.getAndIncrement() <= 0) {
      throw new IllegalStateException("chunk retained after its release");
    }
    return this;
  }

  void release() {
    int left = references.decrementAndGet();
    if (left == 0) {
      pool.giveBack(this);
    } else if (left < 0) {
      throw new IllegalStateException("chunk released more often than retained");
    }
  }
}
