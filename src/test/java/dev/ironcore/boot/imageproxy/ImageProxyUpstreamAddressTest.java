package dev.ironcore.boot.imageproxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.ConnectionTrap;
import dev.ironcore.boot.testing.MockCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Registries allowed on 127.0.0.2 that try to send us to 127.0.0.3 (another loopback address, standing
 * for this machine's or the cluster's inside): by a blob redirect, a manifest redirect or a token
 * realm. A listener on 127.0.0.3 counts every connection; none may arrive. The machine gets a 502
 * that names its image and the kind of failure, and nothing of the inside.
 */
class ImageProxyUpstreamAddressTest {
  private static final String REPO = "ironcore/inside";
  private static final String DIGEST = "sha256:" + "5".repeat(64);
  private static final String UPSTREAM_SECRET_TEXT = "db at 10.0.0.7:5432 is down";
  private static final Answer ANONYMOUS = exchange -> exchange.sendResponseHeaders(200, -1);

  private static ConnectionTrap inside;
  private static HttpServer redirecting;
  private static HttpServer realmInside;
  private static HttpServer failing;
  private static MockCluster cluster;
  private static BootServiceUnderTest service;
  private static final ProxyClient client = new ProxyClient();

  @BeforeAll
  static void start() throws Exception {
    inside = new ConnectionTrap(InetAddress.getByName("127.0.0.3"));
    String insideUrl = "http://127.0.0.3:" + inside.port();
    redirecting = registry(ANONYMOUS, exchange -> {
      exchange.getResponseHeaders().add("Location", insideUrl + exchange.getRequestURI().getRawPath());
      exchange.sendResponseHeaders(307, -1);
    });
    realmInside = registry(exchange -> {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + insideUrl + "/token\",service=\"inside\"");
      exchange.sendResponseHeaders(401, -1);
    }, exchange -> exchange.sendResponseHeaders(401, -1));
    failing = registry(ANONYMOUS, exchange -> {
      byte[] body = UPSTREAM_SECRET_TEXT.getBytes(UTF_8);
      exchange.sendResponseHeaders(500, body.length);
      exchange.getResponseBody().write(body);
    });
    cluster = new MockCluster();
    service = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.allowed-registries", String.join(",", host(redirecting), host(realmInside), host(failing))));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    cluster.close();
    redirecting.stop(0);
    realmInside.stop(0);
    failing.stop(0);
    inside.close();
  }

  @Test
  void aBlobRedirectToAnotherLoopbackAddressIsRefusedAndReachesNothing() throws Exception {
    HttpResponse<byte[]> answer = client.get(service.bootPort(), ProxyClient.imagePath(image(redirecting), DIGEST));

    assertRefused(answer, "Bad Gateway: registry for " + image(redirecting) + " refused a redirect to a loopback address");
    assertThat(service.metricsText())
        .containsPattern("image_proxy_upstream_errors_total\\{kind=\"refused_upstream\"} [1-9]");
  }

  @Test
  void aManifestRedirectToAnotherLoopbackAddressIsRefusedAndReachesNothing() throws Exception {
    HttpResponse<byte[]> answer = client.get(service.bootPort(),
        "/image?imageName=" + image(redirecting) + "&version=v1&layerName=application/vnd.ironcore.image.kernel");

    assertRefused(answer, "Bad Gateway: registry for " + image(redirecting) + " refused a redirect to a loopback address");
  }

  @Test
  void aTokenRealmOnAnotherLoopbackAddressIsRefusedAndReachesNothing() throws Exception {
    HttpResponse<byte[]> answer = client.get(service.bootPort(), ProxyClient.imagePath(image(realmInside), DIGEST));

    assertRefused(answer, "Bad Gateway: registry for " + image(realmInside) + " refused a token realm at a loopback address");
  }

  @Test
  void anUpstreamErrorTextIsNotRepeated() throws Exception {
    HttpResponse<byte[]> answer = client.get(service.bootPort(), ProxyClient.imagePath(image(failing), DIGEST));

    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(new String(answer.body(), UTF_8))
        .isEqualTo("Bad Gateway: registry for " + image(failing) + " sent an answer that is not a registry's")
        .doesNotContain("10.0.0.7").doesNotContain("5432");
  }

  private static void assertRefused(HttpResponse<byte[]> answer, String expected) {
    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(new String(answer.body(), UTF_8)).isEqualTo(expected)
        .doesNotContain("127.0.0.3").doesNotContain(String.valueOf(inside.port()));
    assertThat(inside.connections()).as("connections that reached 127.0.0.3").isZero();
  }

  private static String host(HttpServer server) {
    return "127.0.0.2:" + server.getAddress().getPort();
  }

  private static String image(HttpServer server) {
    return host(server) + "/" + REPO;
  }

  /** A registry on 127.0.0.2 whose /v2/ is answered by {@code probe} and every other path by {@code answer}. */
  private static HttpServer registry(Answer probe, Answer answer) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
    server.createContext("/v2/", exchange -> {
      try (exchange) {
        (exchange.getRequestURI().getPath().equals("/v2/") ? probe : answer).answer(exchange);
      }
    });
    server.start();
    return server;
  }

  @FunctionalInterface
  private interface Answer {
    void answer(HttpExchange exchange) throws IOException;
  }
}
