package dev.ironcore.boot.blobcache;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upstream download shared by every reader of the blob (single flight). The most recently
 * received bytes stay here in memory, those not yet on disk and at least {@link #RECENT_BYTES}
 * more, so readers that keep up with the download never read the file back. To keep it so, the
 * download waits while even its leading reader is that far behind ({@link #readersBehindBy}):
 * it then goes at the pace of its fastest client, who reads from memory, while slower ones read
 * behind from the file. With no reader (prefetch, or all gone) only the disk sets the pace.
 */
final class InflightFetch implements BlobProgress {
  private final BlobDigest digest;
  private final long size;
  private final List<Runnable> waiters = new ArrayList<>();
  static final long RECENT_BYTES = 4 * 1024 * 1024;
  /** The chunks of bytes {@code [windowStart, received)}, in order; they include all not yet written. */
  private final ArrayDeque<Buffer> window = new ArrayDeque<>();
  private long windowStart;
  /** Where each reader that still wants bytes is: the leading one paces the download. */
  private final Map<Object, Long> readers = new IdentityHashMap<>();
  private Runnable whenReadersNear;
  private Path path;
  private long written;
  private long received;
  private boolean verified;
  private Throwable failure;

  InflightFetch(BlobDigest digest, long size, Path downloadPath) {
    this.digest = digest;
    this.size = size;
    this.path = downloadPath;
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
    return written;
  }

  @Override
  public synchronized long received() {
    return received;
  }

  @Override
  public synchronized Buffer inMemory(long position, long limit) {
    if (position < windowStart || position >= Math.min(limit, received)) {
      return null;
    }
    long chunkStart = windowStart;
    for (Buffer chunk : window) {
      long chunkEnd = chunkStart + chunk.length();
      if (position < chunkEnd) {
        return chunk.slice((int) (position - chunkStart), (int) (Math.min(chunkEnd, limit) - chunkStart));
      }
      chunkStart = chunkEnd;
    }
    return null;
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
  public void awaitChange(long seenReceived, Runnable listener) {
    synchronized (this) {
      if (received == seenReceived && !verified && failure == null) {
        waiters.add(listener);
        return;
      }
    }
    listener.run();
  }

  /** A chunk arrived: readers take it from memory while it is recent or not yet {@link #written}. */
  void received(Buffer chunk) {
    update(() -> {
      window.add(chunk);
      received += chunk.length();
      forgetOld();
    });
  }

  /** The next {@code bytes} are on disk: once old, readers behind read them from the file. */
  synchronized void written(long bytes) {
    written += bytes;
    forgetOld();
  }

  private void forgetOld() {
    while (!window.isEmpty() && windowStart + window.peek().length() <= written
        && received - (windowStart + window.peek().length()) >= RECENT_BYTES) {
      windowStart += window.remove().length();
    }
  }

  @Override
  public void readerAt(Object reader, long position) {
    changeReaders(() -> readers.put(reader, position));
  }

  @Override
  public void readerDone(Object reader) {
    changeReaders(() -> readers.remove(reader));
  }

  /** A waiting download is woken (outside the lock) once its leading reader came near or went. */
  private void changeReaders(Runnable change) {
    Runnable wake;
    synchronized (this) {
      change.run();
      wake = takeWakeIfNear();
    }
    if (wake != null) {
      wake.run();
    }
  }

  /** True while there are readers and even the leading one is {@code gap} or more behind the download. */
  synchronized boolean readersBehindBy(long gap) {
    long lead = readers.values().stream().mapToLong(Long::longValue).max().orElse(Long.MAX_VALUE);
    return received - lead >= gap;
  }

  /** Runs {@code wake} once (on any thread) when the leading reader is within half the window, or gone. */
  void whenReadersNear(Runnable wake) {
    synchronized (this) {
      if (readersBehindBy(RECENT_BYTES / 2)) {
        whenReadersNear = wake;
        return;
      }
    }
    wake.run();
  }

  private Runnable takeWakeIfNear() {
    if (whenReadersNear == null || readersBehindBy(RECENT_BYTES / 2)) {
      return null;
    }
    Runnable wake = whenReadersNear;
    whenReadersNear = null;
    return wake;
  }

  void published(Path publishedPath) {
    update(() -> {
      path = publishedPath;
      verified = true;
    });
  }

  void fail(Throwable cause) {
    update(() -> {
      if (failure == null && !verified) {
        failure = cause;
      }
      window.clear();
      windowStart = received;
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
