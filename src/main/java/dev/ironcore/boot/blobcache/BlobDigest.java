package dev.ironcore.boot.blobcache;

import java.util.regex.Pattern;

/**
 * A validated blob digest, {@code sha256:} and 64 lower-case hex digits: the only form we fetch,
 * verify and cache (the hex is a file name, so nothing else may reach the disk).
 */
public record BlobDigest(String hex) {
  public static final String ALGORITHM_PREFIX = "sha256:";
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public BlobDigest {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("not 64 lower-case hex digits");
    }
  }

  /** The digest written as {@code sha256:<hex>}, or null when it is not one. */
  public static BlobDigest parseOrNull(String digest) {
    if (digest == null || !digest.startsWith(ALGORITHM_PREFIX)) {
      return null;
    }
    String hex = digest.substring(ALGORITHM_PREFIX.length());
    return HEX.matcher(hex).matches() ? new BlobDigest(hex) : null;
  }

  @Override
  public String toString() {
    return ALGORITHM_PREFIX + hex;
  }
}
