package dev.ironcore.boot.oci;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An image resolved to the manifest for one architecture, with its layers.
 *
 * @param manifestDigest digest of the per-architecture image manifest
 */
public record ResolvedImage(ImageReference image, String manifestDigest, List<Descriptor> layers) {
  public ResolvedImage {
    layers = List.copyOf(layers);
  }

  public Optional<Descriptor> kernel() {
    return firstOf(LayerMediaTypes.KERNEL_TYPES);
  }

  public Optional<Descriptor> initrd() {
    return firstOf(LayerMediaTypes.INITRD_TYPES);
  }

  public Optional<Descriptor> squashfs() {
    return firstOf(LayerMediaTypes.SQUASHFS_TYPES);
  }

  public Optional<Descriptor> uki() {
    return firstOf(LayerMediaTypes.UKI_TYPES);
  }

  /** The older {@code /image?layerName=} form: the first layer whose media type contains the name. */
  public Optional<Descriptor> firstLayerNamed(String layerName) {
    return layers.stream().filter(layer -> layer.mediaType().contains(layerName)).findFirst();
  }

  private Optional<Descriptor> firstOf(Set<String> mediaTypes) {
    return layers.stream().filter(layer -> mediaTypes.contains(layer.mediaType())).findFirst();
  }
}
