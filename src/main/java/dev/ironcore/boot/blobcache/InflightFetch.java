package dev.ironcore.boot.blobcache;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One upstream download shared by every reader of the blob (single flight). */
final class InflightFetch implements BlobProgress {
  private final BlobDigest digest;
  private final long size;
  private final List<Runnable> waiters = new ArrayList<>();
  private Path path;
  private long written;
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
  public synchronized boolean verified() {
    return verified;
  }

  @Override
  public synchronized Throwable failure() {
    return failure;
  }

  @Override
  public void awaitChange(long seenWritten, Runnable listener) {
    synchronized (this) {
      if (written == seenWritten && !verified && failure == null) {
        waiters.add(listener);
        return;
      }
    }
    listener.run();
  }

  void advance(long bytes) {
    update(() -> written += bytes);
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
    });
  }

  /** Listeners run outside the lock: they only schedule work on their readers' contexts. */
  private void update(Runnable change) {
    List<Runnable> toWake;
    synchronized (this) {
      change.run();
      toWake = List.copyOf(waiters);
      waiters.clear();
    }
    toWake.forEach(Runnable::run);
  }
}
