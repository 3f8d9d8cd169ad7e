package dev.ironcore.boot.blobcache;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upstream download shared by every reader of the blob (single flight), and its memory: the
 * {@link Chunk}s received and not yet let go. A chunk is let go once hashed and on disk and, while
 * the download goes on, once {@link #RECENT_BYTES} newer bytes arrived: readers that keep up take
 * every byte from memory, slower ones read behind from the file. Without a file (a blob streamed
 * through, not cached) a chunk is kept until every reader sent it. The download ({@link DownloadPump})
 * waits while its window is full or even its leading reader is far behind: it then goes at the pace
 * of its fastest client; with no reader only hashing and the disk set the pace.
 */
final class InflightFetch implements BlobProgress {
  static final long RECENT_BYTES = 4L * Chunk.BYTES;
  /**
   * Chunks a cached download may hold: the recent ones and those that hashing or the disk still need
   * (32 rather than 16 rides out the disk's hiccups: 0.72-0.74 of the cold reference against 0.70-0.71).
   */
  static final int CACHED_WINDOW_CHUNKS = 32;
  /** A streamed-through blob's one reader takes every byte from memory: a few chunks keep it busy. */
  static final int STREAMED_WINDOW_CHUNKS = 4;
  /** How long the download waits at a time before it looks whether other downloads need memory. */
  private static final long POOL_WAIT_MILLIS = 100;

  /** The bytes {@code [from, to)} a reader still wants. */
  private record Wanted(long from, long to) {}

  private final BlobDigest digest;
  private final long size;
  private final boolean memoryOnly;
  private final int maxChunks;
  private final ChunkWindow window;
  /** The bytes each reader still wants: the leading one paces the download. */
  private final Map<Object, Wanted> readers = new IdentityHashMap<>();
  private final List<Runnable> waiters = new ArrayList<>();
  private Path path;
  private boolean downloadWaits;
  private boolean verified;
  private Throwable failure;

  /** A download into {@code downloadPath}; with null, a blob streamed through memory and never stored. */
  InflightFetch(BlobDigest digest, long size, Path downloadPath) {
    this.digest = digest;
    this.size = size;
    this.path = downloadPath;
    this.memoryOnly = downloadPath == null;
    this.maxChunks = memoryOnly ? STREAMED_WINDOW_CHUNKS : CACHED_WINDOW_CHUNKS;
    this.window = new ChunkWindow(size, !memoryOnly);
  }

  BlobDigest digest() {
    return digest;
  }

  long size() {
    return size;
  }

  @Override
  public synchronized Path path() {
    return path;
  }

  @Override
  public synchronized long written() {
    return window.written();
  }

  @Override
  public synchronized long received() {
    return window.received();
  }

  @Override
  public synchronized ChunkSlice inMemory(long position, long limit) {
    return window.slice(position, limit);
  }

  @Override
  public synchronized boolean verified() {
    return verified;
  }

  @Override
  public synchronized Throwable failure() {
    return failure;
  }

  @Override
  public void awaitChange(long seenReceived, long seenWritten, Runnable listener) {
    synchronized (this) {
      if (window.received() == seenReceived && window.written() == seenWritten && !verified && failure == null) {
        waiters.add(listener);
        return;
      }
    }
    listener.run();
  }

  /**
   * The chunk for the bytes from {@code start} on, added to the window, with a reference for the
   * caller (the download filling it). Waits while the window is full, the readers are far behind or
   * the pool is empty; throws once the download failed.
   */
  Chunk nextChunk(long start, ChunkPool pool) throws InterruptedException {
    while (true) {
      awaitRoom(pool);
      Chunk chunk = pool.take(start, POOL_WAIT_MILLIS);
      synchronized (this) {
        if (chunk != null && failure == null) {
          window.add(chunk);
          return chunk.retain();
        }
        if (chunk != null) {
          chunk.release();
        }
        throwIfFailed();
        letRecentChunksGo(); // the pool is short: other downloads need them more than our readers
      }
    }
  }

  private synchronized void awaitRoom(ChunkPool pool) throws InterruptedException {
    long gap = RECENT_BYTES;
    while (failure == null && (window.chunks() >= maxChunks || readersBehindBy(gap))) {
      downloadWaits = true;
      gap = RECENT_BYTES / 2; // once waiting, until the leading reader came near
      wait(POOL_WAIT_MILLIS);
      if (pool.downloadsWait()) {
        letRecentChunksGo(); // while we wait, other downloads need the memory more than our readers
      }
    }
    downloadWaits = false;
    throwIfFailed();
  }

  /** Lets the recent chunks go that only readers would still take from memory: they read them from the file. */
  private void letRecentChunksGo() {
    forget(false);
  }

  private void throwIfFailed() {
    if (failure != null) {
      throw new IllegalStateException("download of " + digest + " stopped", failure);
    }
  }

  /** True while there are readers and even the leading one is {@code gap} or more behind the download. */
  private boolean readersBehindBy(long gap) {
    if (memoryOnly) {
      return false; // its window, which keeps every byte its readers still want, paces it
    }
    long lead = readers.values().stream().mapToLong(Wanted::from).max().orElse(Long.MAX_VALUE);
    return window.received() - lead >= gap;
  }

  /** The bytes up to {@code upTo} arrived: readers take them from memory. */
  void received(long upTo) {
    update(() -> {
      window.received(upTo);
      forgetOld();
    });
  }

  /** Slices covering {@code [from, to)} from the window, each with a reference the caller releases. */
  synchronized List<ChunkSlice> slices(long from, long to) {
    throwIfFailed();
    return window.slices(from, to);
  }

  synchronized void hashed(long upTo) {
    window.hashed(upTo);
    forgetOld();
  }

  /** The bytes up to {@code upTo} are in the file: readers fed by sendfile take them; once old, the others too. */
  void written(long upTo) {
    update(() -> {
      window.written(upTo);
      forgetOld();
    });
  }

  /** Lets go of every chunk nobody needs any more; wakes the download if it waits for room. */
  private void forgetOld() {
    forget(true);
  }

  /** {@code keepRecent} false: even the recent chunks go that only readers keeping up would take from memory. */
  private void forget(boolean keepRecent) {
    if (window.letGo(chunk -> wanted(chunk, keepRecent)) && downloadWaits) {
      notifyAll();
    }
  }

  /** A hashed (and written) chunk a reader still wants from memory. */
  private boolean wanted(Chunk chunk, boolean keepRecent) {
    long end = window.end(chunk);
    if (memoryOnly) {
      return readers.values().stream().anyMatch(wanted -> wanted.from() < end && wanted.to() > chunk.start());
    }
    return keepRecent && window.received() - end < RECENT_BYTES;
  }

  @Override
  public void readerAt(Object reader, long from, long to) {
    changeReaders(() -> readers.put(reader, new Wanted(from, to)));
  }

  /** A cached download must not wait for it; a streamed one keeps its last byte in memory for it. */
  @Override
  public void readerAwaitsVerification(Object reader, long from, long to) {
    changeReaders(() -> {
      if (memoryOnly) {
        readers.put(reader, new Wanted(from, to));
      } else {
        readers.remove(reader);
      }
    });
  }

  @Override
  public void readerDone(Object reader) {
    changeReaders(() -> readers.remove(reader));
  }

  private synchronized void changeReaders(Runnable change) {
    change.run();
    forgetOld();
    if (downloadWaits) {
      notifyAll();
    }
  }

  /** A blob streamed through is verified: its readers may send their last byte, still in memory. */
  void verifiedInMemory() {
    update(() -> verified = true);
  }

  /** Verified and moved into place: readers follow it there, the memory goes back to the pool. */
  void published(Path publishedPath) {
    update(() -> {
      path = publishedPath;
      verified = true;
      window.releaseAll();
    });
  }

  void fail(Throwable cause) {
    update(() -> {
      if (failure == null && !verified) {
        failure = cause;
      }
      window.releaseAll();
      notifyAll();
    });
  }

  /** Listeners run outside the lock: they only schedule work on their readers' contexts. */
  private void update(Runnable change) {
    List<Runnable> toWake;
    synchronized (this) {
      change.run();
      if (waiters.isEmpty()) {
        return;
      }
      toWake = List.copyOf(waiters);
      waiters.clear();
    }
    toWake.forEach(Runnable::run);
  }
}
