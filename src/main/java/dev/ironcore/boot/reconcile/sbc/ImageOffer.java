package dev.ironcore.boot.reconcile.sbc;

import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ImageReference;
import java.util.Optional;

/**
 * What an SBC's image offers the enabled boot methods: kernel and initrd (and maybe squashfs) for
 * PXE, a UKI for HTTP boot. Empty for a method that is disabled or whose layers are missing.
 */
public record ImageOffer(ImageReference image, Optional<PxeLayers> pxe, Optional<Descriptor> uki) {
  /** The layers an IPXEBootConfig points at. */
  public record PxeLayers(Descriptor kernel, Descriptor initrd, Optional<Descriptor> squashfs) {}

  /** True when no enabled boot method can boot this image. */
  public boolean bootsNothing() {
    return pxe.isEmpty() && uki.isEmpty();
  }
}
