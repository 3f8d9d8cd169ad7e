package dev.ironcore.boot.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request path percent-decoded once, as Go's {@code net/http} decodes {@code URL.Path}: real iPXE
 * encodes {@code :} in a path ({@code registry.example%3A5000}), and the Go operator serves it.
 * Decoding happens exactly once (so {@code %253A} stays {@code %3A}, which no name accepts), and the
 * guards apply to what was decoded: an encoded {@code /} would change the path's segments after
 * routing, so it is refused rather than decoded; control characters and malformed escapes are
 * refused too. Dot segments are left to the caller, whose names refuse them.
 */
public final class RequestPath {
  /** Longer than any image path a boot config can produce; a longer one is refused before decoding. */
  public static final int MAX_LENGTH = 2048;

  private RequestPath() {}

  /** The decoded path, or a 4xx naming what is wrong with it. */
  public static String decodeOnce(String rawPath) {
    if (rawPath.length() > MAX_LENGTH) {
      throw new HttpStatusException(414, "URI Too Long: path longer than " + MAX_LENGTH + " characters");
    }
    if (rawPath.indexOf('%') < 0) {
      return refuseControlCharacters(rawPath);
    }
    byte[] raw = rawPath.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream decoded = new ByteArrayOutputStream(raw.length);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] != '%') {
        decoded.write(raw[i]);
        continue;
      }
      int high = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
      int low = high < 0 ? -1 : Character.digit(raw[i + 2], 16);
      if (low < 0) {
        throw new BadRequestException("Bad Request: malformed percent-encoding in the path (% must be followed by"
            + " two hex digits)");
      }
      int octet = high * 16 + low;
      if (octet == '/') {
        throw new NotFoundException("Not Found: percent-encoded '/' (%2F) in the path; write '/' itself");
      }
      decoded.write(octet);
      i += 2;
    }
    return refuseControlCharacters(utf8(decoded.toByteArray()));
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadRequestException("Bad Request: the path does not decode to UTF-8 text");
    }
  }

  private static String refuseControlCharacters(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (Character.isISOControl(path.charAt(i))) {
        throw new BadRequestException("Bad Request: control character in the path");
      }
    }
    return path;
  }
}
