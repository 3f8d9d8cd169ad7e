package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.testing.registry.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
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
    return http.sendAsync(request(port, "GET", path), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpRequest request(int port, String method, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return request.build();
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
}
