package dev.ironcore.boot.reconcile.sbc;

import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ImageReference;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What an SBC's image offers the enabled boot methods: kernel and initrd (and maybe squashfs) for
 * PXE, a UKI for HTTP boot. Empty for a method that is disabled or whose layers are missing;
 * {@code enabled} tells the two apart.
 */
public record ImageOffer(ImageReference image, Set<BootMethod> enabled, Optional<PxeLayers> pxe,
    Optional<Descriptor> uki) {
  public ImageOffer {
    enabled = Set.copyOf(enabled);
  }

  /** The layers an IPXEBootConfig points at. */
  public record PxeLayers(Descriptor kernel, Descriptor initrd, Optional<Descriptor> squashfs) {}

  /** True when no enabled boot method can boot this image. */
  public boolean bootsNothing() {
    return pxe.isEmpty() && uki.isEmpty();
  }

  /** The enabled boot methods this image does not offer: an SBC must not keep configs for them. */
  public Set<BootMethod> notOffered() {
    Set<BootMethod> missing = EnumSet.noneOf(BootMethod.class);
    if (enabled.contains(BootMethod.PXE) && pxe.isEmpty()) {
      missing.add(BootMethod.PXE);
    }
    if (enabled.contains(BootMethod.HTTP) && uki.isEmpty()) {
      missing.add(BootMethod.HTTP);
    }
    return missing;
  }
}
