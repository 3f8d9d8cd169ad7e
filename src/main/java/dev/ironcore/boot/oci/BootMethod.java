package dev.ironcore.boot.oci;

/** How the machine boots the image; PXE images are picked from an index by their cname annotation first. */
public enum BootMethod {
  PXE,
  HTTP
}
