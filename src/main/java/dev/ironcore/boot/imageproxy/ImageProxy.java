package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.Blob;
import dev.ironcore.boot.blobcache.BlobCache;
import dev.ironcore.boot.blobcache.BlobCacheMetrics;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.oci.RegistrySettings;
import dev.ironcore.boot.oci.RegistryTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/** The image proxy assembled: blob cache, the Vert.x client for layer bytes, and the handler. */
public final class ImageProxy implements AutoCloseable {
  /** 64 KiB chunks: +50% throughput over the 8 KiB default (CAMEL-NOTES §1). */
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final int CONNECTIONS_PER_REGISTRY = 64;

  private final BlobCache cache;
  private final HttpClient http;
  private final BlobProxy proxy;
  private final Prefetcher prefetcher;
  private final boolean prefetch;

  /** Registry access shared with the rest of the service: one client, one manifest cache. */
  public record Registry(RegistryClient client, ManifestResolver manifests, RegistrySettings settings) {}

  public ImageProxy(Vertx vertx, ImageProxySettings settings, Registry registry, MeterRegistry meters) {
    ImageProxyMetrics metrics = new ImageProxyMetrics(meters);
    this.cache = new BlobCache(vertx, settings.cache(), new BlobCacheMetrics(meters));
    this.http = vertx.createHttpClient(clientOptions(settings, registry.settings()),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_REGISTRY));
    RegistryBlobFetcher fetcher = new RegistryBlobFetcher(registry.client(), http,
        new BodyWatch(vertx, settings.idleTimeout(), metrics));
    BlobTargets targets = new BlobTargets(registry.client().allowList(), registry.manifests(), settings.architecture());
    Function<BlobTarget, Future<Blob>> open =
        target -> cache.open(target.digest(), () -> fetcher.fetch(target.image(), target.digest()));
    this.proxy = new BlobProxy(targets, open, metrics);
    this.prefetcher = new Prefetcher(vertx, targets, open, metrics);
    this.prefetch = settings.prefetch() && settings.cache().enabled();
  }

  private static HttpClientOptions clientOptions(ImageProxySettings settings, RegistrySettings registry) {
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setMaxChunkSize(CHUNK_BYTES)
        .setConnectTimeout((int) settings.connectTimeout().toMillis());
    if (registry.caBundle().isPresent()) {
      options.setTrustOptions(TrustOptions.wrap(RegistryTls.trustManagers(registry)));
    }
    return options;
  }

  /** Prepares the cache directory and indexes the blobs already there. */
  public Future<Void> start() {
    return cache.start();
  }

  /** Serves the blob endpoints on a router (the boot port's, which the image port shares). */
  public void register(Router router) {
    proxy.register(router);
  }

  /** Fetches the layers of Ready boot configs ahead of their machines (when prefetch and the cache are on). */
  public void prefetchFor(BootConfigIndex index) {
    if (prefetch) {
      index.onBootConfigChange(prefetcher::consider);
    }
  }

  @Override
  public void close() {
    http.close();
    cache.close();
  }
}
