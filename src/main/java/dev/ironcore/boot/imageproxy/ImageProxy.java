package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.Blob;
import dev.ironcore.boot.blobcache.BlobCache;
import dev.ironcore.boot.blobcache.BlobCacheMetrics;
import dev.ironcore.boot.blobcache.UpstreamBlob;
import dev.ironcore.boot.config.ImageProxyScopeSettings;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.net.TrustedProxies;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.oci.RegistryConnection;
import dev.ironcore.boot.oci.RegistrySettings;
import dev.ironcore.boot.oci.RegistryTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The image proxy assembled: blob cache, the registry connections for layer bytes, and the handler. */
public final class ImageProxy implements AutoCloseable {
  /** Blob GETs connecting or waiting for their response heads at once; more wait their turn. */
  private static final int CONNECTING_AT_ONCE = 32;

  private final BlobCache cache;
  private final WorkerExecutor connecting;
  private final BlobProxy proxy;
  private final Prefetcher prefetcher;
  private final boolean prefetch;
  private final ReferencedLayers referencedLayers = new ReferencedLayers();
  private final boolean tracksReferences;

  /** Registry access shared with the rest of the service: one client, one manifest cache. */
  public record Registry(RegistryClient client, ManifestResolver manifests, RegistrySettings settings) {}

  /** {@code trustedProxies}: whose X-Forwarded-For names the client in the request log. */
  public ImageProxy(Vertx vertx, ImageProxySettings settings, Registry registry, MeterRegistry meters,
      TrustedProxies trustedProxies) {
    ImageProxyMetrics metrics = new ImageProxyMetrics(meters);
    this.cache = new BlobCache(vertx, settings.cache(), new BlobCacheMetrics(meters));
    // Blocking by design (a connect waits up to its timeout): never on the workers that Camel routes need.
    this.connecting = vertx.createSharedWorkerExecutor("registry-connect", CONNECTING_AT_ONCE, 10, TimeUnit.MINUTES);
    RegistryConnection.Settings connections = new RegistryConnection.Settings(settings.connectTimeout(),
        settings.idleTimeout(), RegistryTls.context(registry.settings()).getSocketFactory());
    RegistryBlobFetcher fetcher = new RegistryBlobFetcher(registry.client(), connections, connecting,
        new BodyWatch(vertx, settings.idleTimeout(), metrics));
    BlobTargets targets = new BlobTargets(registry.client().allowList(), registry.manifests(), settings.architecture(),
        scope(settings, registry.manifests(), metrics));
    DownloadSlots slots = new DownloadSlots(vertx, settings.limits(), metrics);
    Function<BlobTarget, Future<UpstreamBlob>> machineFetch = target -> slots.fetch(DownloadSlots.Priority.MACHINE,
        target.digest().hex(), () -> fetcher.fetch(target.image(), target.digest()));
    Function<BlobTarget, Future<Blob>> forMachine = target -> {
      slots.promote(target.digest().hex()); // a machine now waits for it too
      return cache.open(target.digest(), () -> machineFetch.apply(target));
    };
    Function<BlobTarget, Future<Blob>> forPrefetch = target -> cache.open(target.digest(), () -> slots.fetch(
        DownloadSlots.Priority.PREFETCH, target.digest().hex(), () -> fetcher.fetch(target.image(), target.digest())));
    LayerSizes sizes = new LayerSizes(cache, registry.manifests(), settings.architecture(), machineFetch);
    this.proxy = new BlobProxy(targets, forMachine, sizes, metrics, trustedProxies,
        new ClientAnswers(settings.limits().maxDownloadsPerClient()), settings.limits().unsentBytesPerAnswer());
    this.prefetcher = new Prefetcher(vertx, targets, forPrefetch, metrics);
    this.prefetch = settings.prefetch() && settings.cache().enabled();
    this.tracksReferences = settings.scope().scope() != ImageProxyScopeSettings.Scope.ALLOWED_REGISTRIES;
  }

  private ImageProxyScope scope(ImageProxySettings settings, ManifestResolver manifests, ImageProxyMetrics metrics) {
    settings.defaultUkiUrl().flatMap(LayerKey::ofUrl)
        .ifPresent(key -> referencedLayers.replace("default-httpboot-uki-url", Set.of(key)));
    metrics.referencedLayers(referencedLayers::size);
    return new ImageProxyScope(settings.scope(), referencedLayers,
        settings.defaultUkiImage().map(image -> new ImageProxyScope.DefaultUkiImage(image, manifests,
            settings.architecture())), metrics);
  }

  /** Prepares the cache directory and indexes the blobs already there. */
  public Future<Void> start() {
    return cache.start();
  }

  /** Serves the blob endpoints on a router (the boot port's, which the image port shares). */
  public void register(Router router) {
    proxy.register(router);
  }

  /**
   * Follows the boot configs: the layers they reference (unless the scope is allowed-registries, which
   * does not look), and with prefetch and the cache on, fetches those of Ready configs ahead of their machines.
   */
  public void follow(BootConfigIndex index) {
    if (tracksReferences) {
      LayerReferenceTracker.track(index, referencedLayers);
    }
    if (prefetch) {
      index.onBootConfigChange(prefetcher::consider);
    }
  }

  @Override
  public void close() {
    connecting.close();
    cache.close();
  }
}
