package dev.ironcore.boot.blobcache;

import io.vertx.core.Future;

/**
 * How to fetch a blob from its registry. Called only on a cache miss, so a hit asks the registry
 * nothing (not even for a token).
 */
@FunctionalInterface
public interface Upstream {
  /** Starts the download: completes once the registry answered with the blob, its body unread. */
  Future<UpstreamBlob> fetch();
}
