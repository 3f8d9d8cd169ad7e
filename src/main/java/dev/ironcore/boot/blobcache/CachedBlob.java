package dev.ironcore.boot.blobcache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/** A blob read from the cache's disk: published, or being downloaded (read behind the writer). */
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
  public ReadStream<Buffer> read(long offset, long length) {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new IllegalArgumentException("range outside the blob");
    }
    LongConsumer served = fromCache() ? cache.metrics()::servedFromCache : cache.metrics()::servedFromUpstream;
    return new BlobReader(new ReaderSetup(cache.vertx().getOrCreateContext(), progress, this::discard, served),
        offset, length);
  }

  @Override
  public Optional<Path> publishedFile() {
    return fromCache() ? Optional.of(progress.path()) : Optional.empty();
  }

  @Override
  public void sentFromFile(long bytes) {
    cache.metrics().servedFromCache(bytes);
  }

  @Override
  public void discard() {
    if (released.compareAndSet(false, true)) {
      cache.release(digest);
    }
  }
}
