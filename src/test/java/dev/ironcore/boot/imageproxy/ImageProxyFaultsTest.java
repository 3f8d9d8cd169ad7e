package dev.ironcore.boot.imageproxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.StallingRegistry;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registries that are down, stall, lie or die mid-stream: clients get a clean error or an aborted transfer. */
class ImageProxyFaultsTest {
  private static final String REPO = "ironcore/faults";

  @TempDir static Path dir;
  private static TestRegistry registry;
  private static StallingRegistry stalling;
  /** Bound, never listening: connecting is refused, and no server started later can take the port. */
  private static final Socket refusingPort = new Socket();
  private static String unreachable;
  private static HttpServer redirector;
  private static final Set<String> refuseOnce = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger probes = new AtomicInteger();
  private static MockCluster cluster;
  private static BootServiceUnderTest service;
  private static final ProxyClient client = new ProxyClient();
  private static Path cacheDir;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("registry"));
    registry = TestRegistry.anonymous(dir.resolve("registry"));
    stalling = new StallingRegistry();
    refusingPort.bind(new InetSocketAddress("127.0.0.1", 0));
    unreachable = "127.0.0.1:" + refusingPort.getLocalPort();
    redirector = redirector();
    cluster = new MockCluster();
    cacheDir = dir.resolve("cache");
    service = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.allowed-registries", String.join(",", registry.host(), stalling.host(), unreachable, redirectorHost()),
        "boot.blob-cache-dir", cacheDir.toString(),
        "boot.registry-idle-timeout", "1s"));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    cluster.close();
    stalling.close();
    redirector.stop(0);
    registry.close();
    refusingPort.close();
  }

  private static String path(String host, String digest) {
    return ProxyClient.imagePath(host + "/" + REPO, digest);
  }

  @Test
  void anUnreachableRegistryIs502Quickly() throws Exception {
    long started = System.nanoTime();
    HttpResponse<byte[]> answer = client.get(service.bootPort(), path(unreachable, "sha256:" + "1".repeat(64)));

    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(new String(answer.body(), UTF_8)).startsWith("Bad Gateway: ").contains("unreachable")
        .doesNotContain("Connection refused"); // the upstream's own words go to the log only
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aRegistryThatStallsMidBodyIsAbortedAfterTheIdleTimeoutAndNothingIsCached() throws Exception {
    String digest = "sha256:" + "2".repeat(64);
    long started = System.nanoTime();

    try (var socket = ProxyClient.startDownload(service.bootPort(), path(stalling.host(), digest))) {
      assertThat(ProxyClient.bodyBytesUntilClosed(socket)).isLessThan(StallingRegistry.ANNOUNCED);
    }

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(10));
    assertNothingCached(digest);
    assertThat(metrics()).containsPattern("image_proxy_upstream_errors_total\\{kind=\"timeout\"} [1-9]");
  }

  @Test
  void aBlobTamperedWithOnTheRegistrysDiskNeverReachesAClientComplete() throws Exception {
    // Given a blob whose stored bytes were changed after the push (same length)
    byte[] bytes = ProxyClient.randomBytes(16 * 1024 * 1024, 5);
    Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.KERNEL, bytes);
    Files.write(registry.blobDataFile(layer.digest()), ProxyClient.randomBytes(bytes.length, 6));

    // When five machines ask at once (the ones behind the first are fed from the file, by sendfile)
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        sockets.add(ProxyClient.startDownload(service.bootPort(), path(registry.host(), layer.digest())));
      }
      // Then every transfer is cut before its last byte, and nothing is cached
      for (Socket socket : sockets) {
        assertThat(ProxyClient.bodyBytesUntilClosed(socket)).isLessThan(bytes.length);
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    assertNothingCached(layer.digest());
    assertThat(metrics()).containsPattern("blob_cache_digest_mismatches_total [1-9]");
  }

  @Test
  void aRegistryKilledMidStreamAbortsTheClientCachesNothingAndTheNextRequestFetchesAfresh() throws Exception {
    // Given a large blob
    byte[] bytes = ProxyClient.randomBytes(128 * 1024 * 1024, 7);
    Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.SQUASHFS, bytes);

    // When the registry dies once the first bytes reached the client
    try (var socket = ProxyClient.startDownload(service.bootPort(), path(registry.host(), layer.digest()))) {
      assertThat(ProxyClient.read(socket, 64 * 1024)).isEqualTo(64 * 1024);
      registry.kill();
      // Then the client's transfer ends short of the whole blob
      assertThat(ProxyClient.read(socket, Long.MAX_VALUE)).isLessThan(bytes.length);
    } finally {
      registry = registry.restart();
    }
    assertNothingCached(layer.digest());

    // And the next request fetches it afresh from the registry, verified
    ProxyClient.assertBlob(client.get(service.bootPort(), path(registry.host(), layer.digest())), bytes,
        "application/octet-stream");
    ProxyClient.awaitBlobGets(registry, REPO, layer.digest(), 1);
  }

  @Test
  void redirectsAreFollowedByUsAndLoopsOrOtherSchemesAre502() throws Exception {
    // Given a registry front that redirects blobs: to the real registry, to itself, or to a file
    byte[] bytes = ProxyClient.randomBytes(512 * 1024, 12);
    Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.KERNEL, bytes);

    // Then the client sees the blob, never a redirect, and a loop or a file: URL is a clean 502 that repeats no location
    ProxyClient.assertBlob(client.get(service.bootPort(), path(redirectorHost(), layer.digest())), bytes,
        "application/octet-stream");
    HttpResponse<byte[]> loop = client.get(service.bootPort(), path(redirectorHost(), "sha256:" + "3".repeat(64)));
    HttpResponse<byte[]> file = client.get(service.bootPort(), path(redirectorHost(), "sha256:" + "4".repeat(64)));
    assertThat(loop.statusCode()).isEqualTo(502);
    assertThat(new String(loop.body(), UTF_8)).isEqualTo("Bad Gateway: registry for " + redirectorHost() + "/" + REPO
        + " redirected more than 10 times");
    assertThat(file.statusCode()).isEqualTo(502);
    assertThat(new String(file.body(), UTF_8)).contains("sent a redirect that is not to an http(s) URL")
        .doesNotContain("/etc/passwd");
  }

  @Test
  void a401ForgetsTheCredentialsAndTriesOnceMore() throws Exception {
    // Given a registry that refuses the first blob request (a token revoked early)
    byte[] bytes = ProxyClient.randomBytes(256 * 1024, 15);
    Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.KERNEL, bytes);
    client.get(service.bootPort(), path(redirectorHost(), "sha256:" + "3".repeat(64))); // auth detected and cached
    refuseOnce.add(layer.digest());
    int probesBefore = probes.get();

    // Then the client still gets the blob, after one new auth detection
    ProxyClient.assertBlob(client.get(service.bootPort(), path(redirectorHost(), layer.digest())), bytes,
        "application/octet-stream");
    assertThat(refuseOnce).isEmpty();
    assertThat(probes.get()).isEqualTo(probesBefore + 1);
  }

  /** /v2/ answers 200; a digest in refuseOnce gets one 401; blob 333… redirects to itself, 444… to a file: URL, others to the real registry. */
  private static HttpServer redirector() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/v2/")) {
        probes.incrementAndGet();
        exchange.sendResponseHeaders(200, -1);
      } else if (refuseOnce.remove(path.substring(path.lastIndexOf('/') + 1))) {
        exchange.sendResponseHeaders(401, -1);
      } else {
        String target = path.contains("3333") ? "http://" + redirectorHost() + path
            : path.contains("4444") ? "file:///etc/passwd" : "http://" + registry.host() + path;
        exchange.getResponseHeaders().add("Location", target);
        exchange.sendResponseHeaders(307, -1);
      }
      exchange.close();
    });
    server.start();
    return server;
  }

  private static String redirectorHost() {
    return "127.0.0.1:" + redirector.getAddress().getPort();
  }

  private static void assertNothingCached(String digest) {
    assertThat(cacheDir.resolve("sha256").resolve(digest.substring(7))).doesNotExist();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> Objects.requireNonNull(cacheDir.resolve("tmp").toFile().list()).length == 0);
  }

  private static String metrics() throws Exception {
    return service.metricsText();
  }
}
