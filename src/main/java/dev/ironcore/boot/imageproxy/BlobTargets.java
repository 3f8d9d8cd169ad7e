package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.BlobDigest;
import dev.ironcore.boot.net.ClientAddress;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ImageReference;
import dev.ironcore.boot.oci.InvalidImageReferenceException;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryAllowList;
import dev.ironcore.boot.web.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Turns a parsed request into the blob to send: the image reference (malformed → 404), the allowlist
 * (→ 403), the image proxy's scope (an unreferenced layer → 404 when it is {@code referenced}) and, for
 * the older {@code layerName} form only, the manifest's first matching layer. The digest forms ask no
 * registry anything here, so a cache hit stays a hit without any registry call.
 */
final class BlobTargets {
  static final String EFI = "application/efi";
  static final String OCTET_STREAM = "application/octet-stream";

  private final RegistryAllowList allowList;
  private final ManifestResolver manifests;
  private final String architecture;
  private final ImageProxyScope scope;

  BlobTargets(RegistryAllowList allowList, ManifestResolver manifests, String architecture, ImageProxyScope scope) {
    this.allowList = allowList;
    this.manifests = manifests;
    this.architecture = architecture;
    this.scope = scope;
  }

  /** A client's request; {@code httpBoot}: the {@code /httpboot/<image>/sha256-<hex>.efi} form, always answered as EFI. */
  Future<BlobTarget> forClient(BlobRequest request, boolean httpBoot, ClientAddress client) {
    ImageReference image = image(request);
    allowList.check(image);
    return scope.check(LayerKey.of(request, image), image, client)
        .compose(referenced -> resolve(request, image, httpBoot, referenced));
  }

  /** A layer a boot config references, fetched ahead of its machines. */
  Future<BlobTarget> forPrefetch(BlobRequest request, boolean httpBoot) {
    ImageReference image = image(request);
    allowList.check(image);
    return resolve(request, image, httpBoot, true);
  }

  private Future<BlobTarget> resolve(BlobRequest request, ImageReference image, boolean httpBoot, boolean referenced) {
    if (!request.selectsLayerByMediaType()) {
      // Registries such as distribution send every blob as octet-stream; UEFI firmware reads the type.
      return Future.succeededFuture(
          new BlobTarget(image, request.layerDigest(), httpBoot ? EFI : OCTET_STREAM, referenced));
    }
    // Back on the request's event loop: the blob is then opened and streamed where its response lives.
    return OnContext.of(manifests.resolve(image, architecture, BootMethod.PXE), Vertx.currentContext())
        .map(resolved -> resolved.firstLayerNamed(request.layerMediaType())
            .map(layer -> target(image, layer, referenced))
            .orElseThrow(() -> new NotFoundException("Not Found: no layer of media type " + request.layerMediaType())));
  }

  private static BlobTarget target(ImageReference image, Descriptor layer, boolean referenced) {
    BlobDigest digest = BlobDigest.parseOrNull(layer.digest());
    if (digest == null) {
      throw new NotFoundException("Not Found: the layer's digest is not a sha256 digest");
    }
    return new BlobTarget(image, digest, LayerMediaTypes.UKI_TYPES.contains(layer.mediaType()) ? EFI : OCTET_STREAM,
        referenced);
  }

  static ImageReference image(BlobRequest request) {
    try {
      return request.version() == null ? ImageReference.parse(request.imageName())
          : ImageReference.of(request.imageName(), request.version());
    } catch (InvalidImageReferenceException malformed) {
      throw new NotFoundException("Not Found: malformed image reference");
    }
  }
}
