package dev.ironcore.boot.blobcache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.Optional;

/**
 * A blob streamed straight through, not stored (cache off, or its disk failing): one download per
 * request, through memory only, still verified before its last byte. A client that goes away stops it.
 */
final class PassThroughBlob implements Blob {
  private final BlobDigest digest;
  private final UpstreamBlob upstream;
  private final BlobCache cache;

  PassThroughBlob(BlobDigest digest, UpstreamBlob upstream, BlobCache cache) {
    this.digest = digest;
    this.upstream = upstream;
    this.cache = cache;
  }

  @Override
  public BlobDigest digest() {
    return digest;
  }

  @Override
  public long size() {
    return upstream.size();
  }

  @Override
  public boolean fromCache() {
    return false;
  }

  /** The whole blob is read and hashed even for a range: only then is its last byte released. No file: no sendfile. */
  @Override
  public Future<Void> send(WriteStream<Buffer> destination, Optional<FileSender> kernel, long offset, long length) {
    Context context = cache.vertx().getOrCreateContext();
    InflightFetch fetch = new InflightFetch(digest, size(), null);
    BlobWriter writer = new BlobWriter(fetch, null, context, cache.writers());
    ReaderSetup setup = new ReaderSetup(context, fetch, Optional.empty(),
        () -> writer.fail(new IllegalStateException("the client went away")),
        (feed, bytes) -> cache.metrics().sent(false, feed, bytes));
    BlobReader reader = BlobReader.of(setup, offset, length, size()); // registered before the first byte arrives
    stream(fetch, writer);
    return reader.sendTo(destination);
  }

  @Override
  public Future<Void> whenVerified() {
    InflightFetch fetch = new InflightFetch(digest, size(), null);
    BlobWriter writer = new BlobWriter(fetch, null, cache.vertx().getOrCreateContext(), cache.writers());
    stream(fetch, writer);
    return writer.verified();
  }

  private void stream(InflightFetch fetch, BlobWriter writer) {
    writer.verified().onSuccess(verified -> fetch.verifiedInMemory()).onFailure(failure -> {
      upstream.cancel();
      fetch.fail(failure);
      if (failure instanceof BlobVerificationException) {
        cache.metrics().digestMismatch();
      }
    });
    cache.pump(upstream, fetch, writer);
  }

  @Override
  public void discard() {
    upstream.cancel();
  }
}
