package dev.ironcore.boot.oci;

import java.util.Set;

/** The layer media types of boot images: ironcore's, and Garden Linux's older ones still in use. */
public final class LayerMediaTypes {
  public static final String KERNEL = "application/vnd.ironcore.image.kernel";
  public static final String INITRAMFS = "application/vnd.ironcore.image.initramfs";
  public static final String SQUASHFS = "application/vnd.ironcore.image.squashfs";
  public static final String UKI = "application/vnd.ironcore.image.uki";
  public static final String GARDENLINUX_KERNEL = "application/io.gardenlinux.kernel";
  public static final String GARDENLINUX_INITRD = "application/io.gardenlinux.initrd";
  public static final String GARDENLINUX_SQUASHFS = "application/io.gardenlinux.squashfs";

  public static final Set<String> KERNEL_TYPES = Set.of(KERNEL, GARDENLINUX_KERNEL);
  public static final Set<String> INITRD_TYPES = Set.of(INITRAMFS, GARDENLINUX_INITRD);
  public static final Set<String> SQUASHFS_TYPES = Set.of(SQUASHFS, GARDENLINUX_SQUASHFS);
  public static final Set<String> UKI_TYPES = Set.of(UKI);

  private LayerMediaTypes() {}
}
