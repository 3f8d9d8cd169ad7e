package dev.ironcore.boot.index;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Canonical forms of the identifiers an HTTPBootConfig lists and a DHCP relay sends: IP addresses in
 * their shortest standard text (RFC 5952 for IPv6), MAC addresses lower case and colon-separated
 * (whatever separator they were written with). Parsing never touches DNS.
 */
public final class NetworkIdentifier {
  private static final Pattern MAC_SEPARATED = Pattern.compile("\\p{XDigit}{2}([:-])(\\p{XDigit}{2}\\1){4}\\p{XDigit}{2}");
  private static final Pattern MAC_DOTTED = Pattern.compile("\\p{XDigit}{4}\\.\\p{XDigit}{4}\\.\\p{XDigit}{4}");
  private static final Pattern MAC_BARE = Pattern.compile("\\p{XDigit}{12}");

  private NetworkIdentifier() {}

  /** The canonical key, or null for blank input. Unrecognised values are kept, trimmed and lower case. */
  public static String canonical(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String value = raw.trim();
    String ip = canonicalIp(value);
    if (ip != null) {
      return ip;
    }
    String mac = canonicalMac(value);
    return mac != null ? mac : value.toLowerCase(Locale.ROOT);
  }

  /** The canonical text of an IP literal, or null when the value is not one. */
  public static String canonicalIp(String value) {
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(value);
    return address == null ? null : NetUtil.toAddressString(address);
  }

  static String canonicalMac(String value) {
    if (!(MAC_SEPARATED.matcher(value).matches()
        || MAC_DOTTED.matcher(value).matches()
        || MAC_BARE.matcher(value).matches())) {
      return null;
    }
    String hex = value.replaceAll("[^\\p{XDigit}]", "").toLowerCase(Locale.ROOT);
    StringBuilder mac = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        mac.append(':');
      }
      mac.append(hex, i, i + 2);
    }
    return mac.toString();
  }
}
