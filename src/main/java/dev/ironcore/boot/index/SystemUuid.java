package dev.ironcore.boot.index;

import java.util.Locale;

/** The canonical form of a machine's system UUID (trimmed, lower case), and what we accept as one. */
public final class SystemUuid {
  public static final int MAX_LENGTH = 128;

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
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH
        || !isLetterOrDigit(candidate.charAt(0)) || candidate.contains("..")) {
      return false;
    }
    for (int i = 1; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (!isLetterOrDigit(c) && c != '_' && c != '.' && c != ':' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** ASCII only: {@link Character#isLetterOrDigit} would accept any script's letters. */
  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
