package dev.ironcore.boot.blobcache;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A download that would take the cache over its bound: it is not cached. Its registry body, already
 * under way, goes to the first request that takes it (the one that started it); the others sharing
 * the download each stream the blob through on their own.
 */
final class DoesNotFitException extends RuntimeException {
  private final transient AtomicReference<UpstreamBlob> upstream;

  DoesNotFitException(BlobDigest digest, UpstreamBlob upstream) {
    super("blob " + digest + " of " + upstream.size() + " bytes does not fit the cache's bound", null, false, false);
    this.upstream = new AtomicReference<>(upstream);
  }

  /** The download under way, to the first caller only. */
  Optional<UpstreamBlob> take() {
    return Optional.ofNullable(upstream.getAndSet(null));
  }
}
