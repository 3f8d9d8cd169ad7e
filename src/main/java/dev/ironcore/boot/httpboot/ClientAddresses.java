package dev.ironcore.boot.httpboot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client addresses of an {@code /httpboot} request, from {@code X-Forwarded-For} (the DHCP relay
 * calls us, so the TCP peer is not the client). Entries are split on commas, trimmed, empties
 * dropped; several header lines are read as one list.
 */
public final class ClientAddresses {
  /** More entries than any relay chain sends; the rest are ignored rather than looked up. */
  static final int MAX_ENTRIES = 32;

  private ClientAddresses() {}

  /** The entries of the header value (a String, or a List when the header came several times). */
  public static List<String> fromHeader(Object header) {
    List<String> entries = new ArrayList<>();
    if (header instanceof Iterable<?> values) {
      values.forEach(value -> addEntries(String.valueOf(value), entries));
    } else if (header != null) {
      addEntries(header.toString(), entries);
    }
    return entries.size() > MAX_ENTRIES ? List.copyOf(entries.subList(0, MAX_ENTRIES)) : entries;
  }

  private static void addEntries(String value, List<String> entries) {
    Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(entries::add);
  }
}
