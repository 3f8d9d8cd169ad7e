package dev.ironcore.boot.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.EOFException;
import java.io.InputStream;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests written byte for byte as iPXE writes them: the path exactly as given (with its
 * percent-encoding, which Java's URI-based clients would check or rewrite), iPXE's headers.
 */
public final class IpxeClient {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

  private IpxeClient() {}

  /** An answer: the status code, the head as received and the body ({@code Content-Length} bytes). */
  public record Answer(int status, String head, byte[] body) {
    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  public static Answer get(int port, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nUser-Agent: iPXE/1.21.1+\r\nConnection: keep-alive\r\n\r\n").getBytes(US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int next = in.read();
        if (next < 0) {
          throw new EOFException("closed before the end of the head: " + head);
        }
        head.append((char) next);
      }
      Matcher length = CONTENT_LENGTH.matcher(head);
      byte[] body = in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
      return new Answer(Integer.parseInt(head.substring(9, 12)), head.toString(), body);
    }
  }
}
