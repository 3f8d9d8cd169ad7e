package dev.ironcore.boot.ignition.butane;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Data URLs for inline contents, byte for byte as butane writes them. */
final class DataUrls {

  private static final String UNRESERVED = "-_.!~*'()";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private DataUrls() {}

  /** fcos 1.1.0+: the shorter of percent-encoding and base64; a tie goes to percent-encoding. */
  static String shortest(byte[] bytes) {
    String percent = "," + percentEncode(bytes);
    String base64 = ";base64," + Base64.getEncoder().encodeToString(bytes);
    return "data:" + (base64.length() < percent.length() ? base64 : percent);
  }

  /** fcos 1.0.0: always percent-encoded. */
  static String percentEncoded(byte[] bytes) {
    return "data:," + percentEncode(bytes);
  }

  static String percentEncode(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || UNRESERVED.indexOf(c) >= 0;
  }
}
