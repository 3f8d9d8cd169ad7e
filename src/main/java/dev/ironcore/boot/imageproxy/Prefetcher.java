package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.api.boot.BootConfigState;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.blobcache.Blob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the layers a Ready boot config points at into the cache before the first machine asks,
 * so a rack's first boot already hits it. Only URLs of our own blob forms are followed; at most
 * {@link #CONCURRENCY} downloads run at once and at most {@link #MAX_QUEUED} wait (more are dropped:
 * the machine's own request still fetches). Each URL is queued once until its fetch ends.
 */
final class Prefetcher {
  static final int CONCURRENCY = 2;
  static final int MAX_QUEUED = 256;
  private static final Logger LOG = LoggerFactory.getLogger(Prefetcher.class);

  private final Vertx vertx;
  private final BlobTargets targets;
  private final Function<BlobTarget, Future<Blob>> open;
  private final ImageProxyMetrics metrics;
  private final Queue<String> waiting = new ArrayDeque<>();
  private final Set<String> known = new HashSet<>();
  private int running;

  Prefetcher(Vertx vertx, BlobTargets targets, Function<BlobTarget, Future<Blob>> open, ImageProxyMetrics metrics) {
    this.vertx = vertx;
    this.targets = targets;
    this.open = open;
    this.metrics = metrics;
  }

  /** Called for every boot config added or changed; any thread. */
  void consider(HasMetadata config) {
    if (ready(config)) {
      urls(config).forEach(this::enqueue);
    }
  }

  private static boolean ready(HasMetadata config) {
    BootConfigStatus status = config instanceof IPXEBootConfig ipxe ? ipxe.getStatus()
        : config instanceof HTTPBootConfig http ? http.getStatus() : null;
    return status != null && BootConfigState.READY.equals(status.getState());
  }

  private static List<String> urls(HasMetadata config) {
    Stream<String> urls = config instanceof IPXEBootConfig ipxe
        ? Stream.of(ipxe.getSpec().getKernelURL(), ipxe.getSpec().getInitrdURL(), ipxe.getSpec().getSquashfsURL())
        : Stream.of(((HTTPBootConfig) config).getSpec().getUkiURL());
    return urls.filter(Objects::nonNull).filter(url -> !url.isBlank()).toList();
  }

  private synchronized void enqueue(String url) {
    if (known.size() < MAX_QUEUED + CONCURRENCY && known.add(url)) {
      waiting.add(url);
      vertx.runOnContext(v -> startWaiting());
    }
  }

  private void startWaiting() {
    String url;
    synchronized (this) {
      if (running >= CONCURRENCY || waiting.isEmpty()) {
        return;
      }
      running++;
      url = waiting.poll();
    }
    Future.succeededFuture(url).compose(this::fetch).onComplete(done -> {
      String result = done.succeeded() ? done.result() : "failed";
      metrics.prefetch(result);
      if (done.failed()) {
        LOG.warn("prefetch of {} failed: {}", url, done.cause().getMessage());
      } else if (result.equals("fetched")) {
        LOG.info("prefetched {}", url);
      } else {
        LOG.debug("prefetch {}: {}", result, url); // every resync finds cached blobs again
      }
      synchronized (this) {
        running--;
        known.remove(url);
      }
      startWaiting();
    });
  }

  /** "hit", "fetched" or "skipped" (not one of our blob URLs); runs inside a future, so throwing fails it. */
  private Future<String> fetch(String url) {
    URI uri = URI.create(url);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    boolean httpBoot = path.startsWith("/httpboot/");
    if (!httpBoot && !path.equals("/image")) {
      return Future.succeededFuture("skipped");
    }
    BlobRequest request = httpBoot ? BlobRequest.fromHttpBootPath(path) : BlobRequest.fromImageQuery(uri.getRawQuery());
    // A download is followed to its verified end, so that CONCURRENCY bounds downloads, not requests.
    return targets.forPrefetch(request, httpBoot).compose(open)
        .compose(blob -> blob.fromCache() ? discarded(blob) : blob.whenVerified().map("fetched"));
  }

  private static Future<String> discarded(Blob blob) {
    blob.discard();
    return Future.succeededFuture("hit");
  }
}
