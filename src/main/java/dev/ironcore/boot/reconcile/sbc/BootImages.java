package dev.ironcore.boot.reconcile.sbc;

import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ImageReference;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryAllowList;
import dev.ironcore.boot.oci.ResolvedImage;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Resolves an SBC's image once per reconcile for the enabled boot methods (COMPAT §10) through the
 * cached resolver; every failure becomes an {@link ImageValidationException} a person can act on.
 */
public class BootImages {
  private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(60);

  private final ManifestResolver resolver;
  private final RegistryAllowList allowList;
  private final String architecture;
  private final Set<BootMethod> methods;

  public BootImages(ManifestResolver resolver, RegistryAllowList allowList, String architecture,
      Set<BootMethod> methods) {
    this.resolver = resolver;
    this.allowList = allowList;
    this.architecture = architecture;
    this.methods = Set.copyOf(methods);
  }

  /** What {@code reference} offers the enabled methods; throws when it offers none or cannot be read. */
  public ImageOffer offer(String reference) {
    ImageReference image = parse(reference);
    if (!allowList.isAllowed(image)) {
      throw new ImageValidationException("registry " + image.domain() + " is not allowed; ask for it to be added"
          + " to --allowed-registries or use an image from an allowed registry");
    }
    Optional<ImageOffer.PxeLayers> pxe = methods.contains(BootMethod.PXE)
        ? pxeLayers(resolve(image, BootMethod.PXE)) : Optional.empty();
    Optional<Descriptor> uki = methods.contains(BootMethod.HTTP)
        ? resolve(image, BootMethod.HTTP).uki() : Optional.empty();
    ImageOffer offer = new ImageOffer(image, methods, pxe, uki);
    if (offer.bootsNothing()) {
      throw new ImageValidationException("image " + image + " for " + architecture + " has " + missingLayers());
    }
    return offer;
  }

  private static ImageReference parse(String reference) {
    try {
      return ImageReference.parse(reference == null ? "" : reference.trim());
    } catch (IllegalArgumentException e) {
      throw new ImageValidationException(e.getMessage());
    }
  }

  private ResolvedImage resolve(ImageReference image, BootMethod method) {
    try {
      return resolver.resolve(image, architecture, method).toCompletableFuture()
          .get(RESOLVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | CompletionException e) {
      throw new ImageValidationException("image " + image + ": " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new ImageValidationException("image " + image + ": no answer from the registry in "
          + RESOLVE_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageValidationException("image " + image + ": interrupted while resolving it");
    }
  }

  private static Optional<ImageOffer.PxeLayers> pxeLayers(ResolvedImage image) {
    if (image.kernel().isEmpty() || image.initrd().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ImageOffer.PxeLayers(image.kernel().get(), image.initrd().get(), image.squashfs()));
  }

  private String missingLayers() {
    String pxe = "no kernel and initrd layers (PXE)";
    String http = "no UKI layer (HTTP boot)";
    if (methods.size() == 2) {
      return pxe + " and " + http;
    }
    return methods.contains(BootMethod.PXE) ? pxe : http;
  }
}
