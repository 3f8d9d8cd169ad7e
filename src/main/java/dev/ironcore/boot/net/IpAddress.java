package dev.ironcore.boot.net;

import io.netty.util.NetUtil;
import java.util.Arrays;

/**
 * An IP address parsed from its literal text, never through DNS. An IPv4-mapped IPv6 address
 * ({@code ::ffff:10.0.0.1}) is the IPv4 address it maps, so every spelling of one address has one
 * {@link #text() canonical text}: dotted quad, or RFC 5952 for IPv6.
 */
public final class IpAddress {
  private static final int MAPPED_PREFIX = 12;

  private final byte[] bytes;
  private final String text;

  private IpAddress(byte[] bytes) {
    this.bytes = bytes;
    this.text = NetUtil.bytesToIpAddress(bytes);
  }

  /** The address a literal spells (brackets and a zone index allowed), or null when it spells none. */
  public static IpAddress parse(String literal) {
    if (literal == null) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal.trim());
    return bytes == null ? null : new IpAddress(folded(bytes));
  }

  /** The canonical text of a literal, or null when it spells no IP address. */
  public static String canonical(String literal) {
    IpAddress address = parse(literal);
    return address == null ? null : address.text;
  }

  /** 4 bytes for IPv4 (mapped ones included), 16 for IPv6; a copy. */
  public byte[] bytes() {
    return bytes.clone();
  }

  byte at(int index) {
    return bytes[index];
  }

  int length() {
    return bytes.length;
  }

  public String text() {
    return text;
  }

  private static byte[] folded(byte[] bytes) {
    if (bytes.length != 16) {
      return bytes;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return bytes;
      }
    }
    if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
      return bytes;
    }
    return Arrays.copyOfRange(bytes, MAPPED_PREFIX, 16);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IpAddress address && Arrays.equals(bytes, address.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return text;
  }
}
