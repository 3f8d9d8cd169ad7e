package dev.ironcore.boot.blobcache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** Cache off: one download per request, streamed straight through and still verified. */
final class PassThroughBlob implements Blob {
  private final BlobDigest digest;
  private final UpstreamBlob upstream;
  private final BlobCacheMetrics metrics;

  PassThroughBlob(BlobDigest digest, UpstreamBlob upstream, BlobCacheMetrics metrics) {
    this.digest = digest;
    this.upstream = upstream;
    this.metrics = metrics;
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

  /** The whole blob is read and hashed even for a range: only then is its last byte released. */
  @Override
  public ReadStream<Buffer> read(long offset, long length) {
    if (offset < 0 || length < 0 || offset + length > size()) {
      throw new IllegalArgumentException("range outside the blob");
    }
    return new VerifyingPassThrough(new DigestVerifier(digest), upstream, offset, length)
        .onMismatch(metrics::digestMismatch)
        .onServed(metrics::servedFromUpstream);
  }

  @Override
  public void discard() {
    upstream.cancel().run();
  }
}
