package dev.ironcore.boot.index;

import java.util.Locale;
import java.util.regex.Pattern;

/** The canonical form of a machine's system UUID (trimmed, lower case), and what we accept as one. */
public final class SystemUuid {
  public static final int MAX_LENGTH = 128;
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*");

  private SystemUuid() {}

  /** Canonical key for the index; null or blank gives null (such configs are not indexed by UUID). */
  public static String canonical(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    return raw.trim().toLowerCase(Locale.ROOT);
  }

  /** True when a UUID taken from a request path may be looked up at all. */
  public static boolean isAcceptable(String candidate) {
    return candidate != null
        && candidate.length() <= MAX_LENGTH
        && ACCEPTED.matcher(candidate).matches()
        && !candidate.contains("..");
  }
}
