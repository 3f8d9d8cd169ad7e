package dev.ironcore.boot.blobcache;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The chunks of one download still in memory, and how far its bytes were received, hashed and
 * written. Not thread-safe: its {@link InflightFetch} guards it.
 */
final class ChunkWindow {
  private final long size;
  private final boolean stored;
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private long received;
  private long hashed;
  private long written;

  /** {@code stored}: the bytes go to a file too, and a chunk is needed until they are written. */
  ChunkWindow(long size, boolean stored) {
    this.size = size;
    this.stored = stored;
  }

  int chunks() {
    return chunks.size();
  }

  long received() {
    return received;
  }

  long written() {
    return written;
  }

  void add(Chunk chunk) {
    chunks.add(chunk);
  }

  void received(long upTo) {
    received = upTo;
  }

  void hashed(long upTo) {
    hashed = upTo;
  }

  void written(long upTo) {
    written = upTo;
  }

  /** The received bytes from {@code position} to at most {@code limit} in one chunk, retained; null when not here. */
  ChunkSlice slice(long position, long limit) {
    long end = Math.min(limit, received);
    for (Chunk chunk : chunks) {
      if (position >= chunk.start() && position < Math.min(chunk.end(), end)) {
        return new ChunkSlice(chunk.retain(), position, Math.min(chunk.end(), end));
      }
    }
    return null;
  }

  /** Slices covering {@code [from, to)}, each retained (a chunk's memory past the received bytes included). */
  List<ChunkSlice> slices(long from, long to) {
    List<ChunkSlice> slices = new ArrayList<>(2);
    for (Chunk chunk : chunks) {
      long sliceFrom = Math.max(from, chunk.start());
      long sliceTo = Math.min(to, chunk.end());
      if (sliceFrom < sliceTo) {
        slices.add(new ChunkSlice(chunk.retain(), sliceFrom, sliceTo));
      }
    }
    return slices;
  }

  /**
   * Releases every chunk whose bytes are hashed (and written) and that {@code wanted} no longer holds,
   * in any order (a reader may want only an early byte); true when one went.
   */
  boolean letGo(Predicate<Chunk> wanted) {
    boolean released = false;
    for (Iterator<Chunk> each = chunks.iterator(); each.hasNext(); ) {
      Chunk chunk = each.next();
      long end = end(chunk);
      if (hashed >= end && (!stored || written >= end) && !wanted.test(chunk)) {
        each.remove();
        chunk.release();
        released = true;
      }
    }
    return released;
  }

  /** Where the chunk's bytes of this blob end. */
  long end(Chunk chunk) {
    return Math.min(chunk.end(), size);
  }

  void releaseAll() {
    chunks.forEach(Chunk::release);
    chunks.clear();
  }
}
