package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ironcore.boot.testing.registry.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** A machine asking the image proxy for blobs over real HTTP, and assertions on what it got. */
final class ProxyClient {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpResponse<byte[]> get(int port, String path, String... headers) throws Exception {
    return send(port, "GET", path, headers);
  }

  HttpResponse<byte[]> send(int port, String method, String path, String... headers) throws Exception {
    return http.send(request(port, method, path, headers), HttpResponse.BodyHandlers.ofByteArray());
  }

  CompletableFuture<HttpResponse<byte[]>> getAsync(int port, String path) {
    return sendAsync(port, "GET", path);
  }

  CompletableFuture<HttpResponse<byte[]>> sendAsync(int port, String method, String path) {
    return http.sendAsync(request(port, method, path), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpRequest request(int port, String method, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return request.build();
  }

  /** {@code GET /image} for a layer by digest, as machines ask for it. */
  static String imagePath(String image, String digest) {
    return "/image?imageName=" + image + "&version=v1&layerDigest=" + digest;
  }

  /** {@code GET /image} for the first layer of {@code mediaType} in the manifest {@code tag} names: needs the manifest. */
  static String imagePathByTag(String image, String tag, String mediaType) {
    return "/image?imageName=" + image + "&version=" + tag + "&layerName=" + URLEncoder.encode(mediaType, UTF_8);
  }

  static void assertBlob(HttpResponse<byte[]> answer, byte[] expected, String contentType) throws Exception {
    assertThat(answer.statusCode()).as(answer.uri().toString()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Length")).hasValue(String.valueOf(expected.length));
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(contentType);
    assertThat(sha256(answer.body())).isEqualTo(sha256(expected));
  }

  /** The access log line is written when the registry's response ends. */
  static void awaitBlobGets(TestRegistry registry, String repository, String digest, long count) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(
        () -> assertThat(registry.blobGets(repository, digest)).isEqualTo(count));
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A machine that asks for a blob over a raw socket and then reads only what the test lets it. */
  static Socket startDownload(int port, String path) throws Exception {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(US_ASCII));
    return socket;
  }

  /** Reads {@code count} bytes (headers included) or fewer when the server closes first; returns how many. */
  static long read(Socket socket, long count) throws Exception {
    byte[] chunk = new byte[8192];
    long total = 0;
    InputStream in = socket.getInputStream();
    while (total < count) {
      int read = in.read(chunk, 0, (int) Math.min(chunk.length, count - total));
      if (read < 0) {
        break;
      }
      total += read;
    }
    return total;
  }

  /** Reads at most {@code count} more bytes of an answer (head included) into {@code into}, fewer when the server closes. */
  static void readInto(Socket socket, ByteArrayOutputStream into, long count) throws Exception {
    byte[] chunk = new byte[64 * 1024];
    InputStream in = socket.getInputStream();
    long total = 0;
    while (total < count) {
      int read = in.read(chunk, 0, (int) Math.min(chunk.length, count - total));
      if (read < 0) {
        return;
      }
      into.write(chunk, 0, read);
      total += read;
    }
  }

  /** The head of a whole answer as read off the wire, up to the blank line. */
  static String headOf(byte[] answer) {
    return new String(answer, 0, bodyStart(answer), US_ASCII);
  }

  /** The body of a whole answer as read off the wire. */
  static byte[] bodyOf(byte[] answer) {
    return Arrays.copyOfRange(answer, bodyStart(answer), answer.length);
  }

  private static int bodyStart(byte[] answer) {
    for (int i = 3; i < answer.length; i++) {
      if (answer[i - 3] == '\r' && answer[i - 2] == '\n' && answer[i - 1] == '\r' && answer[i] == '\n') {
        return i + 1;
      }
    }
    throw new AssertionError("no complete response head");
  }

  /** Skips the response head, then counts body bytes until the server closes or resets the connection. */
  static long bodyBytesUntilClosed(Socket socket) throws Exception {
    InputStream in = socket.getInputStream();
    int matched = 0;
    while (matched < 4) {
      int next = in.read();
      if (next < 0) {
        return 0;
      }
      matched = next == "\r\n\r\n".charAt(matched) ? matched + 1 : (next == '\r' ? 1 : 0);
    }
    try {
      return read(socket, Long.MAX_VALUE);
    } catch (java.net.SocketException reset) {
      return -1; // reset: the body's length is unknown, and short of complete
    }
  }

  static long openFileDescriptors() {
    return Objects.requireNonNull(new File("/proc/self/fd").list()).length;
  }
}
