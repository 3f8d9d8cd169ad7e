package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.binding.RecentPairs;
import dev.ironcore.boot.config.ImageProxyScopeSettings;
import dev.ironcore.boot.config.ImageProxyScopeSettings.Scope;
import dev.ironcore.boot.net.ClientAddress;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ImageReference;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.ResolvedImage;
import dev.ironcore.boot.web.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code boot.image-proxy-scope} for one blob request, decided before any registry is asked: is the
 * layer one a boot config references ({@link ReferencedLayers}), and if not, is it refused
 * ({@code referenced}), served and logged ({@code audit}) or simply served ({@code allowed-registries})?
 *
 * <p>The default UKI of {@code default-httpboot-oci-image} is referenced too; its layer is what the
 * image's manifest names now, so a request in that image's repository that no config references is
 * compared with the manifest (cached by the resolver, as {@code /httpboot}'s answer is).
 */
final class ImageProxyScope {
  static final String NOT_REFERENCED = "Not Found: no boot config references this layer"
      + " (boot.image-proxy-scope=referenced); name it in an IPXEBootConfig or HTTPBootConfig";
  private static final Logger LOG = LoggerFactory.getLogger(ImageProxyScope.class);
  private static final String DEFAULT_UKI_SOURCE = "default UKI";

  private final Scope scope;
  private final ReferencedLayers layers;
  private final Optional<DefaultUkiImage> defaultUki;
  private final RecentPairs logged;
  private final ImageProxyMetrics metrics;

  /** The image {@code default-httpboot-oci-image} names, and how to read its UKI layer. */
  record DefaultUkiImage(ImageReference image, ManifestResolver manifests, String architecture) {}

  ImageProxyScope(ImageProxyScopeSettings settings, ReferencedLayers layers, Optional<DefaultUkiImage> defaultUki,
      ImageProxyMetrics metrics) {
    this.scope = settings.scope();
    this.layers = layers;
    this.defaultUki = defaultUki;
    this.logged = new RecentPairs(settings.auditLogCapacity());
    this.metrics = metrics;
  }

  /**
   * Completes with whether the layer is referenced; fails with a 404 when it is not and the scope is
   * {@code referenced}. With {@code allowed-registries} nothing is looked up.
   */
  Future<Boolean> check(LayerKey key, ImageReference image, ClientAddress client) {
    if (scope == Scope.ALLOWED_REGISTRIES) {
      return Future.succeededFuture(false);
    }
    if (layers.contains(key)) {
      return Future.succeededFuture(true);
    }
    return isDefaultUki(key, image).map(referenced -> referenced || unreferenced(key, client));
  }

  private Future<Boolean> isDefaultUki(LayerKey key, ImageReference image) {
    Optional<DefaultUkiImage> sameRepository =
        defaultUki.filter(uki -> uki.image().familiarName().equals(image.familiarName()));
    if (sameRepository.isEmpty()) {
      return Future.succeededFuture(false);
    }
    DefaultUkiImage uki = sameRepository.get();
    return OnContext.of(uki.manifests().resolve(uki.image(), uki.architecture(), BootMethod.HTTP), Vertx.currentContext())
        .map(resolved -> defaultUkiKey(uki.image(), resolved))
        .map(current -> {
          current.ifPresent(layerKey -> layers.replace(DEFAULT_UKI_SOURCE, Set.of(layerKey)));
          return current.filter(key::equals).isPresent();
        })
        .otherwise(false); // the default image cannot be read now: this request is judged without it
  }

  private static Optional<LayerKey> defaultUkiKey(ImageReference image, ResolvedImage resolved) {
    return resolved.uki().map(Descriptor::digest).map(digest -> LayerKey.layer(image, digest));
  }

  /** Refuses (scope referenced) or logs once per image and client and serves (audit). */
  private boolean unreferenced(LayerKey key, ClientAddress client) {
    metrics.unreferencedRequest(scope.settingValue());
    if (scope == Scope.REFERENCED) {
      throw new NotFoundException(NOT_REFERENCED);
    }
    if (logged.firstTime(key + " " + client.client())) {
      LOG.warn("image proxy audit: client={} peer={} fetched {}, which no boot config references;"
          + " boot.image-proxy-scope=referenced would refuse it", client.client(), client.peer(), key);
    }
    return false;
  }
}
