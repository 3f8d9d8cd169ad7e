package dev.ironcore.boot.httpboot;

import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ImageReference;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.ResolvedImage;
import dev.ironcore.boot.web.HttpStatusException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The UKI URL for {@code /httpboot} clients no config names (COMPAT §4): the UKI layer of
 * {@code default-httpboot-oci-image} as {@code <image-server-url>/<image>/sha256-<hex>.efi}, else the
 * deprecated {@code default-httpboot-uki-url}. The resolver caches manifests by digest and tags for
 * their TTL (OURS: Go asks the registry on every request); any failure answers 500.
 */
public class DefaultUki {
  private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(30);

  private final BootSettings settings;
  private final ManifestResolver resolver;

  public DefaultUki(BootSettings settings, ManifestResolver resolver) {
    this.settings = settings;
    this.resolver = resolver;
  }

  public String url() {
    if (!settings.defaultHttpBootOciImage().isEmpty()) {
      return fromOciImage(settings.defaultHttpBootOciImage());
    }
    if (!settings.defaultHttpBootUkiUrl().isEmpty()) {
      return settings.defaultHttpBootUkiUrl();
    }
    throw new HttpStatusException(500, "HTTP boot is not configured (missing default UKI)");
  }

  private String fromOciImage(String reference) {
    if (settings.imageServerUrl().isEmpty()) {
      throw new HttpStatusException(500, "default-httpboot-oci-image is set but image-server-url is empty");
    }
    ImageReference image;
    try {
      image = ImageReference.parse(reference);
    } catch (IllegalArgumentException e) {
      throw new HttpStatusException(500, "default-httpboot-oci-image is not a valid reference: " + e.getMessage());
    }
    Descriptor uki = resolve(image).uki().orElseThrow(() ->
        new HttpStatusException(500, "default-httpboot-oci-image " + reference + " has no UKI layer"));
    return stripSlash(settings.imageServerUrl()) + "/" + image.familiarName() + "/"
        + uki.digest().replace(':', '-') + ".efi";
  }

  private ResolvedImage resolve(ImageReference image) {
    try {
      return resolver.resolve(image, settings.architecture(), BootMethod.HTTP).toCompletableFuture()
          .get(RESOLVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new HttpStatusException(500, "default UKI image could not be resolved: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new HttpStatusException(500, "default UKI image could not be resolved in " + RESOLVE_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpStatusException(500, "interrupted while resolving the default UKI image");
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
