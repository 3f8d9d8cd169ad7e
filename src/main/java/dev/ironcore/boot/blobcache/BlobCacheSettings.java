package dev.ironcore.boot.blobcache;

import java.nio.file.Path;

/**
 * Where the cache lives and how big it may grow.
 *
 * @param root directory holding {@code sha256/<hex>} (published blobs) and {@code tmp/} (downloads)
 * @param maxBytes bytes of published and in-flight blobs before least recently used ones are evicted
 * @param enabled false: every request streams from the registry, still verified, nothing on disk
 * @param threads the cache's own threads: hashing, re-hashing stored blobs, every file operation
 * @param maxDownloads registry downloads under way at most (the caller bounds them): each has a pump thread
 */
public record BlobCacheSettings(Path root, long maxBytes, boolean enabled, int threads, int maxDownloads) {
  public BlobCacheSettings {
    if (enabled && root == null) {
      throw new IllegalArgumentException("blob cache root is required when the cache is enabled");
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("blob cache size must not be negative");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("the blob cache needs at least one thread");
    }
    if (maxDownloads < 1) {
      throw new IllegalArgumentException("the blob cache needs room for at least one download");
    }
  }

  Path blobs() {
    return root.resolve("sha256");
  }

  Path downloads() {
    return root.resolve("tmp");
  }
}
