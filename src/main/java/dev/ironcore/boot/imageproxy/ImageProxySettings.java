package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.BlobCacheSettings;
import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.config.DownloadLimitSettings;
import dev.ironcore.boot.config.ImageProxyScopeSettings;
import dev.ironcore.boot.oci.ImageReference;
import dev.ironcore.boot.oci.InvalidImageReferenceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the image proxy caches and fetches blobs.
 *
 * @param cache where blobs are cached, how many bytes, or off
 * @param connectTimeout TCP/TLS connect timeout towards registries
 * @param idleTimeout a registry silent this long (before headers or mid-body) fails the download
 * @param architecture architecture picked from an image index for the {@code layerName} form
 * @param prefetch fetch the layers of Ready boot configs into the cache ahead of their machines
 * @param limits registry downloads at once and waiting, blob answers per client
 * @param scope which layers are relayed ({@code boot.image-proxy-scope})
 * @param defaultUkiImage {@code default-httpboot-oci-image}: its UKI layer is referenced
 * @param defaultUkiUrl {@code default-httpboot-uki-url}: a layer it names is referenced
 */
public record ImageProxySettings(
    BlobCacheSettings cache, Duration connectTimeout, Duration idleTimeout, String architecture, boolean prefetch,
    DownloadLimitSettings limits, ImageProxyScopeSettings scope, Optional<ImageReference> defaultUkiImage,
    Optional<String> defaultUkiUrl) {
  /** Where the cache lives in a pod unless {@code boot.blob-cache-dir} says otherwise (a volume). */
  public static final Path DEFAULT_CACHE_DIR = Path.of("/var/cache/boot-operator");

  /** From the service's settings; embedded mode without a configured directory caches in a temp dir. */
  public static ImageProxySettings of(BootSettings settings, boolean embedded) throws IOException {
    Path dir = settings.blobCacheDir().orElse(null);
    if (dir == null) {
      dir = embedded ? Files.createTempDirectory("boot-operator-blobs") : DEFAULT_CACHE_DIR;
    }
    BlobCacheSettings cache = new BlobCacheSettings(dir, settings.blobCacheMaxBytes(), settings.blobCacheEnabled(),
        settings.workerThreads().blobCacheThreads(), settings.downloadLimits().maxUpstreamDownloads());
    return new ImageProxySettings(cache, settings.registrySettings().connectTimeout(),
        settings.registryIdleTimeout(), settings.architecture(), settings.imagePrefetch(), settings.downloadLimits(),
        settings.imageProxyScope(),
        defaultUkiImage(settings.defaultHttpBootOciImage()),
        Optional.of(settings.defaultHttpBootUkiUrl()).filter(url -> !url.isEmpty()));
  }

  /** A malformed reference names no layer; {@code /httpboot} reports it to the machine that asks. */
  private static Optional<ImageReference> defaultUkiImage(String reference) {
    try {
      return reference.isEmpty() ? Optional.empty() : Optional.of(ImageReference.parse(reference));
    } catch (InvalidImageReferenceException malformed) {
      return Optional.empty();
    }
  }
}
