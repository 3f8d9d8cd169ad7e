package dev.ironcore.boot.oci;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final head of an HTTP/1.1 response as a registry sent it.
 *
 * @param headers by lower-case name, the first value of each
 * @param early body bytes that arrived with the head, to be handed out first
 */
record ResponseHead(int status, Map<String, String> headers, ByteBuffer early) {
  private static final int MAX_HEAD = 64 * 1024;
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.\\d ([1-9]\\d\\d)(?: .*)?");
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /**
   * Reads heads until the final one: 1xx interim heads are skipped, all within 64 KiB. Fails with a
   * {@link ProtocolException} when the registry sent something else than an HTTP response.
   */
  static ResponseHead read(InputStream in) throws IOException {
    byte[] buffer = new byte[MAX_HEAD];
    int start = 0;
    int searchFrom = 0;
    int filled = 0;
    while (true) {
      int end = headEnd(buffer, searchFrom, filled);
      if (end < 0) {
        searchFrom = Math.max(start, filled - 3); // bytes a slow server trickles are searched once
        filled += readMore(in, buffer, filled);
        continue;
      }
      String text = new String(buffer, start, end - 4 - start, ISO_8859_1);
      ResponseHead head = parse(text, Arrays.copyOfRange(buffer, end, filled));
      if (head.status() >= 200) {
        return head;
      }
      start = end; // an interim head (100 Continue): the final one follows
      searchFrom = end;
    }
  }

  /** The first value of a header, case-insensitive; null when absent. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body length from Content-Length; -1 when absent, malformed, or with a Transfer-Encoding other than identity. */
  long contentLength() {
    String coding = headers.get("transfer-encoding");
    String length = headers.get("content-length");
    boolean identity = coding == null || coding.equalsIgnoreCase("identity");
    return identity && length != null && length.matches("\\d{1,18}") ? Long.parseLong(length) : -1;
  }

  /** The index just past the first blank line (CRLF CRLF) at or after from, or -1. */
  private static int headEnd(byte[] buffer, int from, int filled) {
    for (int i = from; i + 4 <= filled; i++) {
      if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  private static int readMore(InputStream in, byte[] buffer, int filled) throws IOException {
    if (filled == buffer.length) {
      throw new ProtocolException("response head longer than " + MAX_HEAD / 1024 + " KiB");
    }
    int read = in.read(buffer, filled, buffer.length - filled);
    if (read < 0) {
      throw new ProtocolException(filled == 0 ? "connection closed without a response"
          : "connection closed within the response head");
    }
    return read;
  }

  private static ResponseHead parse(String text, byte[] early) throws ProtocolException {
    String[] lines = text.split("\r\n", -1);
    Matcher status = STATUS_LINE.matcher(lines[0]);
    if (!status.matches()) {
      throw new ProtocolException("malformed status line: " + excerpt(lines[0]));
    }
    Map<String, String> headers = new HashMap<>();
    for (String line : Arrays.asList(lines).subList(1, lines.length)) {
      int colon = line.indexOf(':');
      if (colon < 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
        throw new ProtocolException("malformed header line: " + excerpt(line)); // folded lines (obs-fold) too
      }
      headers.putIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return new ResponseHead(Integer.parseInt(status.group(1)), headers, ByteBuffer.wrap(early));
  }

  /** A short, printable piece of what the server or caller sent, for an error message. */
  static String excerpt(String text) {
    String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
    return printable.length() <= 60 ? printable : printable.substring(0, 60) + "...";
  }
}
