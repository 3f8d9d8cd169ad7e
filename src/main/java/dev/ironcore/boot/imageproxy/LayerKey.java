package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.oci.ImageReference;
import java.net.URI;
import java.util.Optional;

/**
 * What a blob request names, in a form that compares equal however the URL spelled it: a layer by
 * digest in a repository ({@code /image?…&layerDigest=} or {@code /httpboot/<image>/sha256-<hex>.efi}),
 * or an image version whose layer is chosen by media type ({@code /image?…&layerName=}).
 */
record LayerKey(String value) {

  static LayerKey of(BlobRequest request, ImageReference image) {
    return request.selectsLayerByMediaType() ? new LayerKey("image " + image) : layer(image, request.layerDigest().toString());
  }

  /** The layer {@code digest} ({@code sha256:<hex>}) of {@code image}'s repository. */
  static LayerKey layer(ImageReference image, String digest) {
    return new LayerKey("layer " + image.familiarName() + "@" + digest);
  }

  /**
   * The key of a URL of one of our blob forms (any host: only the path and query count); empty for
   * any other URL, a malformed one, or one with iPXE settings such as {@code ${base-url}} in it.
   */
  static Optional<LayerKey> ofUrl(String url) {
    try {
      URI uri = URI.create(url.trim());
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      BlobRequest request;
      if (path.startsWith("/httpboot/")) {
        request = BlobRequest.fromHttpBootPath(path);
      } else if (path.equals("/image")) {
        request = BlobRequest.fromImageQuery(uri.getRawQuery());
      } else {
        return Optional.empty();
      }
      return Optional.of(of(request, BlobTargets.image(request)));
    } catch (RuntimeException notABlobUrl) {
      return Optional.empty(); // malformed URLs and requests alike: nothing a machine could fetch
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
