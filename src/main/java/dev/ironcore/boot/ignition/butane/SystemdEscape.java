package dev.ironcore.boot.ignition.butane;

import java.nio.charset.StandardCharsets;

/** {@code systemd-escape --path}: the unit name of a mount point or device. */
final class SystemdEscape {

  private SystemdEscape() {}

  static String path(String path) {
    String trimmed = path.replaceAll("/+", "/").replaceAll("^/|/$", "");
    if (trimmed.isEmpty()) {
      return "-";
    }
    byte[] bytes = trimmed.getBytes(StandardCharsets.UTF_8);
    StringBuilder escaped = new StringBuilder();
    for (int i = 0; i < bytes.length; i++) {
      int c = bytes[i] & 0xff;
      if (c == '/') {
        escaped.append('-');
      } else if (isKept(c, i == 0)) {
        escaped.append((char) c);
      } else {
        escaped.append("\\x").append(Integer.toHexString(c));
      }
    }
    return escaped.toString();
  }

  private static boolean isKept(int c, boolean first) {
    if (c == '.') {
      return !first;
    }
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '_';
  }
}
