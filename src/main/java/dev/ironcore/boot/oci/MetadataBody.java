package dev.ironcore.boot.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Reads a metadata body (probe, token, manifest, error) into memory, but no more than a limit: a
 * registry or token endpoint that answers with gigabytes is cut off instead of filling the heap. The
 * body is framed by Content-Length, by chunked transfer coding (token services often use it), or by
 * the end of the connection (every request says {@code Connection: close}).
 */
final class MetadataBody {
  private static final int MAX_CHUNK_LINE = 1024;

  private MetadataBody() {}

  static byte[] read(RegistryConnection connection, int limit) throws IOException {
    InputStream in = new ConnectionStream(connection);
    String coding = connection.header("Transfer-Encoding");
    if (coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked")) {
      return dechunked(in, limit);
    }
    if (connection.contentLength() > limit) {
      throw tooLarge(limit);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    copy(in, body, Long.MAX_VALUE, limit);
    return body.toByteArray();
  }

  private static byte[] dechunked(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = line(in);
      int extension = line.indexOf(';');
      String size = (extension < 0 ? line : line.substring(0, extension)).trim();
      if (!size.matches("[0-9A-Fa-f]{1,8}")) {
        throw new ProtocolException("malformed chunk size");
      }
      long length = Long.parseLong(size, 16);
      if (length == 0) {
        while (!line(in).isEmpty()) {
          // trailer fields: nothing of ours is in them
        }
        return body.toByteArray();
      }
      if (copy(in, body, length, limit) < length) {
        throw new ProtocolException("chunked body ended early");
      }
      if (!line(in).isEmpty()) {
        throw new ProtocolException("malformed chunk end");
      }
    }
  }

  /** Copies up to {@code count} bytes (until the end when fewer), failing once the body would pass {@code limit}. */
  private static long copy(InputStream in, ByteArrayOutputStream body, long count, int limit) throws IOException {
    byte[] buffer = new byte[8192];
    long copied = 0;
    while (copied < count) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, count - copied));
      if (read < 0) {
        break;
      }
      if (body.size() + read > limit) {
        throw tooLarge(limit);
      }
      body.write(buffer, 0, read);
      copied += read;
    }
    return copied;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int next = in.read(); next != '\n'; next = in.read()) {
      if (next < 0 || line.length() > MAX_CHUNK_LINE) {
        throw new ProtocolException(next < 0 ? "chunked body ended early" : "chunk line too long");
      }
      if (next != '\r') {
        line.append((char) next);
      }
    }
    return line.toString();
  }

  private static RegistryException tooLarge(int limit) {
    return new RegistryException(RegistryException.Kind.BAD_RESPONSE,
        "registry response body is larger than " + limit + " bytes");
  }

  /** The connection's body bytes as a stream (single bytes too, for the chunk lines). */
  private static final class ConnectionStream extends InputStream {
    private final RegistryConnection connection;
    private final ByteBuffer single = ByteBuffer.allocate(1);

    ConnectionStream(RegistryConnection connection) {
      this.connection = connection;
    }

    @Override
    public int read() throws IOException {
      single.clear();
      int read = connection.read(single);
      return read <= 0 ? -1 : single.get(0) & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      return length == 0 ? 0 : connection.read(ByteBuffer.wrap(bytes, offset, length));
    }
  }
}
