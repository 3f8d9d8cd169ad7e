package dev.ironcore.boot.httpboot;

import java.util.Map;
import java.util.TreeMap;

/**
 * A flat JSON object of strings written byte for byte as Go's {@code json.Marshal} writes a
 * {@code map[string]string}: keys sorted, compact, and {@code <}, {@code >}, {@code &}, U+2028 and
 * U+2029 escaped as {@code \\u00XX}.
 */
public final class GoJson {
  private GoJson() {}

  public static String object(Map<String, String> fields) {
    StringBuilder out = new StringBuilder("{");
    new TreeMap<>(fields).forEach((key, value) -> {
      if (out.length() > 1) {
        out.append(',');
      }
      appendString(out, key);
      out.append(':');
      appendString(out, value);
    });
    return out.append('}').toString();
  }

  static void appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
