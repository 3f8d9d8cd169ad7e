package dev.ironcore.boot.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A one-request HTTP/1.1 client whose socket is bound to a chosen loopback source address
 * (127.x.y.z, ::1): on Linux any 127/8 address works without setup, so each address plays another
 * machine. Headers go out exactly as given, repeated names included.
 */
public final class SourceBoundHttp {
  private SourceBoundHttp() {}

  public record Response(int status, Map<String, String> headers, String body) {}

  /** GET {@code path} from {@code source} to {@code target:port}; {@code headerLines} as "Name: value". */
  public static Response get(String source, String target, int port, String path, String... headerLines)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      socket.connect(new InetSocketAddress(InetAddress.getByName(target), port), 5_000);
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: boot.example\r\n");
      for (String line : headerLines) {
        request.append(line).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return parse(readAll(socket.getInputStream()));
    }
  }

  /** GET from {@code source} to the service's boot port on 127.0.0.1. */
  public static Response get(String source, int port, String path, String... headerLines) throws IOException {
    return get(source, "127.0.0.1", port, path, headerLines);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toByteArray();
  }

  private static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      throw new IllegalStateException("no complete HTTP response: " + text);
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    return new Response(status, headers, text.substring(headEnd + 4));
  }
}
