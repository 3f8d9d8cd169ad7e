package dev.ironcore.boot.blobcache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream download into the cache: reserve space, read the registry's bytes into memory with a
 * {@link DownloadPump}, hash them and write them to a download file with a {@link BlobWriter}, then
 * publish or discard. Readers join through the {@link InflightFetch} handed to {@code started} as
 * soon as the file exists.
 */
final class Download {
  private static final Logger LOG = LoggerFactory.getLogger(Download.class);
  private final BlobCache cache;
  private final BlobDigest digest;
  private final Promise<InflightFetch> started;

  Download(BlobCache cache, BlobDigest digest, Promise<InflightFetch> started) {
    this.cache = cache;
    this.digest = digest;
    this.started = started;
  }

  void start(Future<UpstreamBlob> upstream) {
    upstream.onSuccess(this::begin).onFailure(failure -> {
      cache.downloadFailed(digest.hex(), 0);
      started.fail(failure);
    });
  }

  private void begin(UpstreamBlob upstream) {
    if (!cache.reserve(upstream.size())) {
      LOG.info("blob {} ({} bytes) does not fit the cache's bound now: streamed through, verified, not cached",
          digest, upstream.size());
      cache.downloadFailed(digest.hex(), 0);
      started.fail(new DoesNotFitException(digest, upstream));
      return;
    }
    InflightFetch fetch = new InflightFetch(digest, upstream.size(), cache.disk().newDownloadPath(digest.hex()));
    Context context = cache.vertx().getOrCreateContext();
    cache.blocking(() -> openDownload(fetch))
        .onFailure(failure -> {
          upstream.cancel();
          cache.downloadFailed(digest.hex(), upstream.size());
          if (CacheDiskException.in(failure)) {
            cache.diskFailed(failure);
          }
          started.fail(failure);
        })
        .onSuccess(file -> stream(upstream, fetch, new BlobWriter(fetch, file, context, cache.writers())));
  }

  private FileChannel openDownload(InflightFetch fetch) throws CacheDiskException {
    try {
      return cache.disk().openDownload(fetch.path());
    } catch (IOException e) {
      throw new CacheDiskException(e);
    }
  }

  private void stream(UpstreamBlob upstream, InflightFetch fetch, BlobWriter writer) {
    started.complete(fetch);
    writer.verified().compose(verified -> publish(fetch))
        .onFailure(failure -> discard(upstream, fetch, writer, failure));
    cache.pump(upstream, fetch, writer);
  }

  private Future<Void> publish(InflightFetch fetch) {
    Path download = fetch.path();
    String hex = digest.hex();
    // The new path is announced in the same step as the move: a reader opening the download file
    // just after the move must find the new path when it retries.
    return cache.blocking(() -> {
      cache.disk().publish(download, hex, () -> {
        cache.published(hex, fetch.size());
        fetch.published(cache.disk().blobPath(hex));
      });
      return null;
    }).onSuccess(published -> cache.evict()).mapEmpty();
  }

  private void discard(UpstreamBlob upstream, InflightFetch fetch, BlobWriter writer, Throwable failure) {
    upstream.cancel();
    if (failure instanceof BlobVerificationException) {
      cache.metrics().digestMismatch();
      LOG.warn("blob {} discarded: {}", digest, failure.getMessage());
    } else if (CacheDiskException.in(failure)) {
      cache.diskFailed(failure);
    } else {
      LOG.info("blob {} download failed: {}", digest, failure.toString());
    }
    fetch.fail(failure);
    cache.downloadFailed(digest.hex(), fetch.size());
    Path download = fetch.path();
    writer.abort().onComplete(closed -> cache.deleting(() -> {
      cache.disk().deleteDownload(download);
      return null;
    }));
  }
}
