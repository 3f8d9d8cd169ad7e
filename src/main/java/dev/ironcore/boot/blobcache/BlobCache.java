package dev.ironcore.boot.blobcache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-addressed blob cache of DESIGN.md: {@code <root>/sha256/<hex>}, each blob published only
 * after its bytes matched its digest. One download per blob however many ask at once (single
 * flight); they read behind it. Least recently used blobs are evicted past the size bound, never one
 * being read. After a restart, blobs found on disk are hashed again on first use: start-up stays
 * fast with a large cache, a rack's boot pays it once per blob, and a blob changed on disk since is
 * never served (it is dropped and downloaded again).
 *
 * <p>A client that goes away while a blob downloads stops only its own reader: the download goes on
 * to complete the cache (a booting machine retries and then hits it). With the cache off, each request
 * has its own download, verified on the way, and a client that goes away stops it.
 *
 * <p>Non-blocking: hashing and every file operation run on the cache's own bounded threads, never on
 * the Vert.x worker pool that serves {@code /ignition} and other routes (re-hashing a rack's blobs after a
 * restart takes seconds each); locks guard only in-memory state.
 */
public final class BlobCache {
  private static final Logger LOG = LoggerFactory.getLogger(BlobCache.class);
  static final Duration DISK_RETRY_AFTER = Duration.ofSeconds(30);
  private final Vertx vertx;
  private final BlobCacheSettings settings;
  private final BlobCacheMetrics metrics;
  private final CacheIndex index;
  private final DiskStore disk;
  private final Map<String, Future<InflightFetch>> downloads = new HashMap<>();
  private final Map<String, Future<Boolean>> verifications = new HashMap<>();
  /** The cache's own threads: hashing and writing downloads, re-hashing stored blobs, all file work but deleting. */
  private final ThreadPoolExecutor writers;
  /**
   * Deletes blobs one at a time, apart from the downloads: unlinking a large file frees its page cache
   * and holds the disk's publish lock for milliseconds, and a new layer that evicts a dozen old ones
   * held every writer thread behind those deletes while its own download waited for hashing and writing.
   */
  private final ThreadPoolExecutor deletions;
  /**
   * A thread per download under way, blocked on its registry connection most of the time; as many as
   * downloads may run at once (the caller bounds them), so none waits for a thread but briefly.
   */
  private final ThreadPoolExecutor pumps;
  private final ChunkPool chunks;
  /** How long misses bypass the cache after its disk failed, before a download tries it again. */
  private final Duration diskRetryAfter;
  /** Guarded by this: until when (nanoTime) misses bypass the cache; 0 while the disk is fine. */
  private long bypassUntil;

  public BlobCache(Vertx vertx, BlobCacheSettings settings, BlobCacheMetrics metrics) {
    this(vertx, settings, metrics, DISK_RETRY_AFTER);
  }

  BlobCache(Vertx vertx, BlobCacheSettings settings, BlobCacheMetrics metrics, Duration diskRetryAfter) {
    this.diskRetryAfter = diskRetryAfter;
    this.vertx = vertx;
    this.settings = settings;
    this.metrics = metrics;
    this.index = new CacheIndex(settings.maxBytes());
    this.disk = settings.enabled() ? new DiskStore(settings) : null;
    metrics.sizeBytes(index::storedBytes);
    metrics.pinnedBlobs(index::pinnedBlobs);
    this.writers = blobThreads(settings.threads(), "blob-writer-");
    this.deletions = blobThreads(1, "blob-delete-");
    this.pumps = downloadThreads(settings.maxDownloads());
    this.chunks = ChunkPool.sizedForThisJvm();
  }

  /**
   * Threads for the cache's file work; idle ones go away. Work waits in order; there is at most one
   * task per blob on disk or download under way.
   */
  private static ThreadPoolExecutor blobThreads(int threads, String prefix) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads(prefix));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * A pump holds its thread until its body is closed, and the caller gives each body its slot until
   * then: with as many threads as slots, a pump waits only for the one that just closed its body.
   */
  private static ThreadPoolExecutor downloadThreads(int downloads) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(downloads, downloads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("blob-download-"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger number = new AtomicInteger();
    return work -> {
      Thread thread = new Thread(work, prefix + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Stops the cache's threads; downloads still under way fail. */
  public void close() {
    writers.shutdownNow();
    deletions.shutdownNow();
    pumps.shutdownNow();
  }

  /** Prepares the directory and rebuilds the index from the blobs on disk (to be verified on first use). */
  public Future<Void> start() {
    if (!settings.enabled()) {
      return Future.succeededFuture();
    }
    return blocking(disk::recover).map(found -> {
      found.forEach(blob -> index.put(blob.hex(), new CacheIndex.Entry(blob.size(), false)));
      evict();
      return null;
    });
  }

  /**
   * The size of a blob stored in the cache (verified, or found on disk and still to be re-hashed),
   * without pinning it or asking any registry; empty when absent or with the cache off.
   */
  public OptionalLong storedSize(BlobDigest digest) {
    CacheIndex.Entry entry = settings.enabled() ? index.touch(digest.hex()) : null;
    return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.size());
  }

  /**
   * The blob, from disk or by joining or starting its download ({@code upstream} is asked only on a
   * miss). Fails with the upstream's failure when the download cannot start.
   */
  public Future<Blob> open(BlobDigest digest, Upstream upstream) {
    if (!settings.enabled()) {
      metrics.miss();
      return passThrough(digest, upstream);
    }
    // Where the caller's response lives: a blob shared with other requests must reach each one there
    // (a reader writing to a response from another event loop can miss its drain and hang).
    Context caller = vertx.getOrCreateContext();
    String hex = digest.hex();
    CacheIndex.Entry entry;
    Future<InflightFetch> download;
    Promise<InflightFetch> newDownload = null;
    boolean bypass = false;
    synchronized (this) {
      index.pin(hex); // before the lookup: nothing evicts it between here and the reader's end
      entry = index.touch(hex);
      download = entry == null ? downloads.get(hex) : null;
      if (entry == null && download == null) {
        bypass = bypassUntil != 0 && System.nanoTime() - bypassUntil < 0;
        if (!bypass) {
          newDownload = Promise.promise();
          download = newDownload.future();
          downloads.put(hex, download);
        }
      }
    }
    if (bypass) {
      index.unpin(hex);
      metrics.miss();
      return passThrough(digest, upstream);
    }
    if (entry != null) {
      return entry.verified() ? hit(digest, entry.size()) : verifyThenOpen(caller, digest, entry.size(), upstream);
    }
    if (newDownload == null) {
      metrics.shared();
    } else {
      metrics.miss();
      new Download(this, digest, newDownload).start(fetch(upstream));
    }
    // A download the disk failed before any byte was read, or one past the cache's bound: this request
    // is served straight through (the one that started it takes the download already under way).
    return on(caller, download).compose(fetch -> Future.succeededFuture(new CachedBlob(digest, fetch.size(), fetch, this)),
        failure -> {
          release(digest);
          if (failure instanceof DoesNotFitException doesNotFit) {
            metrics.overBound();
            return doesNotFit.take().<Future<Blob>>map(blob -> Future.succeededFuture(new PassThroughBlob(digest, blob, this)))
                .orElseGet(() -> passThrough(digest, upstream));
          }
          return CacheDiskException.in(failure) ? passThrough(digest, upstream) : Future.failedFuture(failure);
        });
  }

  /**
   * The outcome of {@code shared} (a download or verification other requests may have started, so
   * completed on their event loop), delivered on {@code context}.
   */
  private static <T> Future<T> on(Context context, Future<T> shared) {
    Promise<T> here = Promise.promise();
    shared.onComplete(outcome -> {
      if (Vertx.currentContext() == context) {
        here.handle(outcome);
      } else {
        context.runOnContext(v -> here.handle(outcome));
      }
    });
    return here.future();
  }

  /** One download for this request alone, streamed straight through and still verified. */
  private Future<Blob> passThrough(BlobDigest digest, Upstream upstream) {
    return fetch(upstream).map(blob -> new PassThroughBlob(digest, blob, this));
  }

  /**
   * The cache's disk failed a download: for a while misses bypass the cache (each request streams
   * straight through, verified) instead of failing one download after another; hits are still
   * served. Said once per episode, counted every time.
   */
  void diskFailed(Throwable failure) {
    metrics.diskFailure();
    boolean episodeStarts;
    synchronized (this) {
      long now = System.nanoTime();
      episodeStarts = bypassUntil == 0 || now - bypassUntil >= 0;
      bypassUntil = (now + diskRetryAfter.toNanos()) | 1; // never 0: 0 means no failure
    }
    if (episodeStarts) {
      LOG.warn("blob cache disk failed ({}): blobs not yet cached are served straight from the registry,"
          + " verified, for the next {} s", rootCause(failure), diskRetryAfter.toSeconds());
    }
  }

  private static String rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.toString();
  }

  private Future<Blob> hit(BlobDigest digest, long size) {
    metrics.hit();
    return Future.succeededFuture(
        new CachedBlob(digest, size, BlobProgress.complete(disk.blobPath(digest.hex()), size), this));
  }

  /** One re-hash per stored blob, shared by all who ask meanwhile; a mismatch drops it and downloads anew. */
  private Future<Blob> verifyThenOpen(Context caller, BlobDigest digest, long size, Upstream upstream) {
    Future<Boolean> verification;
    synchronized (this) {
      verification = verifications.computeIfAbsent(digest.hex(), hex -> verifyStored(digest, size));
    }
    return on(caller, verification).compose(intact -> {
      if (intact) {
        return hit(digest, size);
      }
      release(digest);
      return open(digest, upstream);
    });
  }

  private Future<Boolean> verifyStored(BlobDigest digest, long size) {
    String hex = digest.hex();
    return blocking(() -> disk.verifyStored(digest, size)).otherwise(false).map(intact -> {
      synchronized (this) {
        verifications.remove(hex);
        if (intact) {
          index.put(hex, new CacheIndex.Entry(size, true));
        } else {
          index.remove(hex);
        }
      }
      if (!intact) {
        metrics.digestMismatch();
        deleting(() -> deleteUnlessRepublished(hex));
      }
      return intact;
    });
  }

  private static Future<UpstreamBlob> fetch(Upstream upstream) {
    // A fetch that throws instead of failing its future must not escape to the caller's handler.
    return Future.<Void>succeededFuture().compose(v -> upstream.fetch());
  }

  /** A reader ended or a blob was discarded: it may be evicted again. */
  void release(BlobDigest digest) {
    index.unpin(digest.hex());
    evict();
  }

  void evict() {
    deleteEvicted(index.evictToFit());
  }

  /**
   * Room for a download of {@code size} bytes within the bound, made by evicting least recently used
   * blobs nobody reads; false, with nothing reserved or evicted, when even that would not make room
   * (a blob larger than the bound, or the rest of the cache being read).
   */
  boolean reserve(long size) {
    return index.reserveWithin(size).map(evicted -> {
      deleteEvicted(evicted);
      return true;
    }).orElse(false);
  }

  private void deleteEvicted(List<String> evicted) {
    for (String hex : evicted) {
      metrics.evicted();
      deleting(() -> deleteUnlessRepublished(hex));
    }
  }

  private Void deleteUnlessRepublished(String hex) throws java.io.IOException {
    disk.deleteBlob(hex, () -> index.contains(hex));
    return null;
  }

  /** Called under the disk's publish lock: the download becomes a cached blob in one step. */
  synchronized void published(String hex, long size) {
    index.put(hex, new CacheIndex.Entry(size, true));
    index.unreserve(size);
    downloads.remove(hex);
  }

  synchronized void downloadFailed(String hex, long reservedBytes) {
    index.unreserve(reservedBytes);
    downloads.remove(hex);
  }

  /** Blocking file work (or a stored blob's re-hash) on the cache's threads; completes on the caller's context. */
  <T> Future<T> blocking(Callable<T> work) {
    return runOn(writers, work);
  }

  /** Deletes a file on the deleting thread; completes on the caller's context. */
  Future<Void> deleting(Callable<Void> delete) {
    return runOn(deletions, delete);
  }

  private <T> Future<T> runOn(Executor threads, Callable<T> work) {
    Context caller = vertx.getOrCreateContext();
    Promise<T> done = Promise.promise();
    try {
      threads.execute(() -> {
        try {
          T result = work.call();
          caller.runOnContext(v -> done.complete(result));
        } catch (Throwable failure) {
          caller.runOnContext(v -> done.fail(failure));
        }
      });
    } catch (RejectedExecutionException closed) {
      done.fail(new IllegalStateException("the blob cache is closed"));
    }
    return done.future();
  }

  Executor writers() {
    return writers;
  }

  /** The most download threads there ever were at once (tests check the bound). */
  int largestDownloadThreads() {
    return pumps.getLargestPoolSize();
  }

  /** The downloads' memory (tests check that every chunk comes back). */
  ChunkPool chunks() {
    return chunks;
  }

  /**
   * Starts moving the upstream's bytes into {@code fetch} and {@code writer} ({@link DownloadPump}) on a
   * thread of its own; with the cache closed, the download fails.
   */
  void pump(UpstreamBlob upstream, InflightFetch fetch, BlobWriter writer) {
    DownloadPump pump = new DownloadPump(upstream, fetch, writer, chunks);
    try {
      pumps.execute(pump);
    } catch (RejectedExecutionException closed) {
      pump.notStarted(new IllegalStateException("the blob cache is closed"));
    }
  }

  Vertx vertx() {
    return vertx;
  }

  BlobCacheMetrics metrics() {
    return metrics;
  }

  CacheIndex index() {
    return index;
  }

  DiskStore disk() {
    return disk;
  }
}
