package dev.ironcore.boot.blobcache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The blob cache's meters (Prometheus names {@code blob_cache_*}). */
public final class BlobCacheMetrics {
  private final MeterRegistry registry;
  private final Counter hits;
  private final Counter misses;
  private final Counter sharedDownloads;
  private final Counter evictions;
  private final Counter digestMismatches;
  private final Counter bytesFromCache;
  private final Counter bytesFromUpstream;
  private final Counter diskFailures;
  private final Counter overBound;
  private final Map<BlobFeed, Counter> sentByFeed = new EnumMap<>(BlobFeed.class);

  public BlobCacheMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.hits = lookups(registry, "hit");
    this.misses = lookups(registry, "miss");
    this.sharedDownloads = lookups(registry, "shared");
    this.evictions = Counter.builder("blob_cache_evictions").description("Blobs evicted").register(registry);
    this.digestMismatches = Counter.builder("blob_cache_digest_mismatches")
        .description("Blobs whose bytes did not match their digest (downloaded or stored)").register(registry);
    this.bytesFromCache = served(registry, "cache");
    this.bytesFromUpstream = served(registry, "upstream");
    this.diskFailures = Counter.builder("blob_cache_disk_failures")
        .description("Downloads the cache's disk failed (full, read-only, I/O error); misses then bypass the cache a while")
        .register(registry);
    this.overBound = Counter.builder("blob_cache_over_bound")
        .description("Blob requests streamed through uncached, verified, because the blob did not fit"
            + " boot.blob-cache-max-bytes (larger than it, or the rest of the cache being read)")
        .register(registry);
    for (BlobFeed feed : BlobFeed.values()) {
      sentByFeed.put(feed, Counter.builder("blob_cache_sent_bytes")
          .description("Blob bytes sent to clients by feed: sendfile (by the kernel from the cache's file), memory"
              + " (through the JVM from the chunks received: TLS, or streamed through), file-reads (TLS: read from"
              + " the file into the JVM)")
          .tag("feed", feed.label()).register(registry));
    }
  }

  private static Counter lookups(MeterRegistry registry, String result) {
    return Counter.builder("blob_cache_lookups")
        .description("Blob requests: hit (from disk), miss (new download), shared (joined a download)")
        .tag("result", result).register(registry);
  }

  private static Counter served(MeterRegistry registry, String source) {
    return Counter.builder("blob_cache_served_bytes")
        .description("Blob bytes sent to clients by source").tag("source", source).register(registry);
  }

  /** Registers the gauge of bytes on disk; called once by the cache that owns them. */
  void sizeBytes(Supplier<Number> storedBytes) {
    Gauge.builder("blob_cache_size_bytes", storedBytes).description("Bytes of published blobs on disk")
        .register(registry);
  }

  /** Registers the gauge of blobs in use by readers; called once by the cache that owns them. */
  void pinnedBlobs(Supplier<Number> pinned) {
    Gauge.builder("blob_cache_pinned_blobs", pinned).description("Blobs in use by a reader (not evictable meanwhile)")
        .register(registry);
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void shared() {
    sharedDownloads.increment();
  }

  void evicted() {
    evictions.increment();
  }

  void digestMismatch() {
    digestMismatches.increment();
  }

  void diskFailure() {
    diskFailures.increment();
  }

  void overBound() {
    overBound.increment();
  }

  /** Bytes sent to a client: from the cache (a hit) or from a download under way, by the feed that sent them. */
  void sent(boolean fromCache, BlobFeed feed, long bytes) {
    (fromCache ? bytesFromCache : bytesFromUpstream).increment(bytes);
    sentByFeed.get(feed).increment(bytes);
  }
}
