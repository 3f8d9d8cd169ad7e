package dev.ironcore.boot.oci;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of address a registry's redirect or token realm must not lead us to: this machine, the
 * link, the private network behind us, a cloud's metadata service, or no real destination at all.
 * Checked on resolved addresses only (a name proves nothing), IPv4-mapped and -compatible IPv6
 * forms as the IPv4 address they carry.
 */
public enum AddressClass {
  METADATA("a cloud metadata address"),
  LOOPBACK("a loopback address"),
  LINK_LOCAL("a link-local address"),
  PRIVATE("a private address"),
  UNSPECIFIED("an unspecified address"),
  MULTICAST("a multicast address");

  /** AWS/GCP/Azure/OpenStack (169.254.169.254), AWS over IPv6 (fd00:ec2::254), Alibaba (100.100.100.200). */
  private static final Set<InetAddress> METADATA_ADDRESSES =
      Set.of(literal("169.254.169.254"), literal("fd00:ec2::254"), literal("100.100.100.200"));

  private final String description;

  AddressClass(String description) {
    this.description = description;
  }

  /** For messages: "a private address". */
  public String description() {
    return description;
  }

  /** The class that makes {@code address} no place for a registry to send us; empty for a public address. */
  public static Optional<AddressClass> of(InetAddress address) {
    InetAddress plain = embeddedIpv4(address).orElse(address);
    if (METADATA_ADDRESSES.contains(plain)) {
      return Optional.of(METADATA);
    }
    if (plain.isLoopbackAddress()) {
      return Optional.of(LOOPBACK);
    }
    if (plain.isLinkLocalAddress()) {
      return Optional.of(LINK_LOCAL);
    }
    if (plain.isSiteLocalAddress() || isUniqueLocal(plain)) {
      return Optional.of(PRIVATE);
    }
    if (plain.isAnyLocalAddress() || isThisNetwork(plain)) {
      return Optional.of(UNSPECIFIED);
    }
    if (plain.isMulticastAddress()) {
      return Optional.of(MULTICAST);
    }
    return Optional.empty();
  }

  /** The IPv4 address inside ::ffff:a.b.c.d (mapped) or ::a.b.c.d (compatible), which connect to that IPv4 host. */
  static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] bytes = address.getAddress();
    boolean zeroPrefix = Arrays.equals(bytes, 0, 10, new byte[10], 0, 10);
    boolean mapped = zeroPrefix && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    boolean compatible = zeroPrefix && bytes[10] == 0 && bytes[11] == 0
        && !Arrays.equals(bytes, 12, 16, new byte[4], 0, 4) && !address.isLoopbackAddress();
    if (!mapped && !compatible) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /** fc00::/7, IPv6's private range, which the JDK's isSiteLocalAddress (the old fec0::/10) misses. */
  private static boolean isUniqueLocal(InetAddress address) {
    return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
  }

  /** 0.0.0.0/8: "this network", which Linux connects to as this machine. */
  private static boolean isThisNetwork(InetAddress address) {
    return address instanceof Inet4Address && address.getAddress()[0] == 0;
  }

  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      throw new IllegalStateException(ip + " is an IP literal", e);
    }
  }
}
