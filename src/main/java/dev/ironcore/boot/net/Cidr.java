package dev.ironcore.boot.net;

/** An address range such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a range of one. */
public record Cidr(IpAddress network, int prefixLength) {

  /** Parses {@code address[/prefix]}; throws IllegalArgumentException saying what is wrong. */
  public static Cidr parse(String value) {
    String trimmed = value.trim();
    int slash = trimmed.indexOf('/');
    IpAddress network = IpAddress.parse(slash < 0 ? trimmed : trimmed.substring(0, slash));
    if (network == null) {
      throw new IllegalArgumentException("'" + trimmed + "' is not an IP address or CIDR range");
    }
    int bits = network.length() * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (trimmed.contains(":") && network.length() == 4) {
        // ::ffff:10.0.0.0/104 names the mapped IPv4 range 10.0.0.0/8
        prefix -= 96;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("'" + trimmed + "': prefix length must be 0-" + bits);
      }
    }
    return new Cidr(network, prefix);
  }

  /** True when {@code address} is in this range (an IPv4 address is never in an IPv6 range). */
  public boolean contains(IpAddress address) {
    if (address.length() != network.length()) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (address.at(i) != network.at(i)) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address.at(full) & mask) == (network.at(full) & mask);
  }

  @Override
  public String toString() {
    return network.text() + "/" + prefixLength;
  }
}
