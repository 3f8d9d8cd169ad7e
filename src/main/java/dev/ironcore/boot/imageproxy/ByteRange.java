package dev.ironcore.boot.imageproxy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to send of a blob of known size for a request's {@code Range} header (RFC 9110 §14): one
 * satisfiable range → 206; a range that starts past the end → 416; no header, several ranges or
 * anything malformed → the whole blob (200), which RFC 9110 allows a server to do.
 *
 * @param status 200, 206 or 416
 * @param offset first byte to send
 * @param length bytes to send ({@code Content-Length}); 0 for 416
 * @param size the whole blob's size
 */
public record ByteRange(int status, long offset, long length, long size) {
  /** At most 18 digits per bound keeps every value inside a long. */
  private static final Pattern SINGLE = Pattern.compile("bytes\\s*=\\s*(\\d{0,18})\\s*-\\s*(\\d{0,18})\\s*");

  public static ByteRange whole(long size) {
    return new ByteRange(200, 0, size, size);
  }

  public static ByteRange select(String rangeHeader, long size) {
    if (rangeHeader == null) {
      return whole(size);
    }
    Matcher single = SINGLE.matcher(rangeHeader.toLowerCase(Locale.ROOT));
    if (!single.matches()) {
      return whole(size);
    }
    String first = single.group(1);
    String last = single.group(2);
    if (first.isEmpty()) {
      return last.isEmpty() ? whole(size) : suffix(Long.parseLong(last), size);
    }
    long start = Long.parseLong(first);
    if (!last.isEmpty() && Long.parseLong(last) < start) {
      return whole(size);
    }
    if (start >= size) {
      return unsatisfiable(size);
    }
    long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
    return new ByteRange(206, start, end - start + 1, size);
  }

  private static ByteRange suffix(long count, long size) {
    if (count == 0 || size == 0) {
      return unsatisfiable(size);
    }
    long length = Math.min(count, size);
    return new ByteRange(206, size - length, length, size);
  }

  private static ByteRange unsatisfiable(long size) {
    return new ByteRange(416, 0, 0, size);
  }

  /** The {@code Content-Range} header value, or null when the whole blob is sent. */
  public String contentRange() {
    return switch (status) {
      case 206 -> "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
      case 416 -> "bytes */" + size;
      default -> null;
    };
  }
}
