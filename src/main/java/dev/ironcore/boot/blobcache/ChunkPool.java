package dev.ironcore.boot.blobcache;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The memory of every download, bounded: at most {@code capacity} {@link Chunk}s, allocated when
 * first needed and reused from then on (direct memory is freed only by the garbage collector, so it
 * is better kept than churned). A download that finds none waits for one, see {@link #take}.
 */
final class ChunkPool {
  private final int capacity;
  private final ArrayDeque<Chunk> free = new ArrayDeque<>();
  private int allocated;
  private int waiting;

  ChunkPool(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a chunk pool needs room for one chunk");
    }
    this.capacity = capacity;
  }

  /**
   * An eighth of the heap's limit (direct memory is bounded by it too; the Deployment gives the heap
   * half the container's memory), at least 16 chunks (one download at full speed) and at most 256.
   */
  static ChunkPool sizedForThisJvm() {
    long eighth = Runtime.getRuntime().maxMemory() / 8 / Chunk.BYTES;
    return new ChunkPool((int) Math.max(16, Math.min(256, eighth)));
  }

  /** A chunk for the bytes from {@code start} on, or null when none came free within {@code waitMillis}. */
  Chunk take(long start, long waitMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    synchronized (this) {
      while (free.isEmpty() && allocated == capacity) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        waiting++;
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } finally {
          waiting--;
        }
      }
      Chunk chunk = free.poll();
      if (chunk == null) {
        allocated++;
        chunk = new Chunk(ByteBuffer.allocateDirect(Chunk.BYTES), this);
      }
      return chunk.reuse(start);
    }
  }

  /** True while a download waits for a chunk: others then let go of chunks only their readers would like. */
  synchronized boolean downloadsWait() {
    return waiting > 0;
  }

  synchronized void giveBack(Chunk chunk) {
    free.push(chunk);
    notifyAll();
  }

  /** Chunks in use right now (for tests: every download must give all of its back). */
  synchronized int inUse() {
    return allocated - free.size();
  }
}
