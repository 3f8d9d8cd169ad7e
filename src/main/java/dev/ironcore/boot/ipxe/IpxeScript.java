package dev.ironcore.boot.ipxe;

/**
 * What the iPXE template renders for one machine. {@code squashfsUrl} is empty for images without
 * a squashfs layer; iPXE's own variables ({@code ${uuid}}, {@code ${kernel-url}}) stay in the template.
 */
public record IpxeScript(String serviceUrl, String kernelUrl, String initrdUrl, String squashfsUrl) {
  public boolean hasSquashfs() {
    return !squashfsUrl.isEmpty();
  }
}
