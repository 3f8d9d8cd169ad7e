package dev.ironcore.boot.blobcache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A blob read from the cache's disk: published, or being downloaded (read behind the download). */
final class CachedBlob implements Blob {
  private final BlobDigest digest;
  private final long size;
  private final BlobProgress progress;
  private final BlobCache cache;
  private final AtomicBoolean released = new AtomicBoolean();

  CachedBlob(BlobDigest digest, long size, BlobProgress progress, BlobCache cache) {
    this.digest = digest;
    this.size = size;
    this.progress = progress;
    this.cache = cache;
  }

  @Override
  public BlobDigest digest() {
    return digest;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public boolean fromCache() {
    return !(progress instanceof InflightFetch);
  }

  @Override
  public Future<Void> send(WriteStream<Buffer> destination, Optional<FileSender> kernel, long offset, long length) {
    boolean fromCache = fromCache();
    ReaderSetup setup = new ReaderSetup(cache.vertx().getOrCreateContext(), progress, kernel, this::discard,
        (feed, bytes) -> cache.metrics().sent(fromCache, feed, bytes));
    return BlobReader.of(setup, offset, length, size).sendTo(destination);
  }

  @Override
  public Future<Void> whenVerified() {
    Promise<Void> verified = Promise.promise();
    followToTheEnd(cache.vertx().getOrCreateContext(), verified);
    return verified.future().onComplete(done -> discard());
  }

  private void followToTheEnd(Context context, Promise<Void> verified) {
    long received = progress.received();
    long written = progress.written();
    if (progress.failure() != null) {
      verified.tryFail(progress.failure());
    } else if (progress.verified()) {
      verified.tryComplete();
    } else {
      progress.awaitChange(received, written, () -> context.runOnContext(v -> followToTheEnd(context, verified)));
    }
  }

  @Override
  public void discard() {
    if (released.compareAndSet(false, true)) {
      cache.release(digest);
    }
  }
}
