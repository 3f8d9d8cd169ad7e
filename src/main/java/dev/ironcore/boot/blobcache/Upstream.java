package dev.ironcore.boot.blobcache;

import io.vertx.core.Future;

/**
 * How to fetch a blob from its registry. Called only on a cache miss, so a hit asks the registry
 * nothing (not even for a token).
 */
@FunctionalInterface
public interface Upstream {
  /** Starts the download; the body must be handed over unread (the cache pauses it at once). */
  Future<UpstreamBlob> fetch();
}
