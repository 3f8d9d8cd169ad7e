package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.BlobCache;
import dev.ironcore.boot.blobcache.UpstreamBlob;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.web.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The size of a layer without downloading it, for a {@code HEAD} of a layer no boot config references
 * (item 2 of the hostile-network issue: such a HEAD must never fill the cache): the cache's entry, else
 * the layer's size in its image's manifest ({@code /image}, which names a version), else the
 * registry's answer to a GET whose body is not read ({@code /httpboot/…}, which names no version).
 */
final class LayerSizes {
  /** A layer's size and where it was learnt: cache, manifest or upstream (the request log's source). */
  record KnownSize(long size, String source) {}

  private final BlobCache cache;
  private final ManifestResolver manifests;
  private final String architecture;
  private final Function<BlobTarget, Future<UpstreamBlob>> fetch;

  /** {@code fetch}: the registry's answer for a blob, within the download slots like any machine's download. */
  LayerSizes(BlobCache cache, ManifestResolver manifests, String architecture,
      Function<BlobTarget, Future<UpstreamBlob>> fetch) {
    this.cache = cache;
    this.manifests = manifests;
    this.architecture = architecture;
    this.fetch = fetch;
  }

  Future<KnownSize> of(BlobTarget target, boolean httpBoot) {
    OptionalLong cached = cache.storedSize(target.digest());
    if (cached.isPresent()) {
      return Future.succeededFuture(new KnownSize(cached.getAsLong(), "cache"));
    }
    return httpBoot ? fromRegistryHead(target) : fromManifest(target);
  }

  private Future<KnownSize> fromManifest(BlobTarget target) {
    String digest = target.digest().toString();
    return OnContext.of(manifests.resolve(target.image(), architecture, BootMethod.PXE), Vertx.currentContext())
        .map(resolved -> resolved.layers().stream()
            .filter(layer -> layer.digest().equals(digest))
            .findFirst()
            .map(Descriptor::size)
            .map(size -> new KnownSize(size, "manifest"))
            .orElseThrow(() -> new NotFoundException("Not Found: layer " + digest + " is not in " + target.image())));
  }

  /** The response head only: the connection is closed before any byte of the body is read. */
  private Future<KnownSize> fromRegistryHead(BlobTarget target) {
    return fetch.apply(target).map(upstream -> {
      upstream.cancel();
      return new KnownSize(upstream.size(), "upstream");
    });
  }
}
