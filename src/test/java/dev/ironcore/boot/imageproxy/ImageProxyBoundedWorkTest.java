package dev.ironcore.boot.imageproxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.SourceBoundHttp;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.StallingRegistry;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded work against a real registry: registry downloads at once and waiting, blob answers per
 * client address, and a cache that never grows past its bound. Different client machines are
 * different 127.x source addresses.
 */
class ImageProxyBoundedWorkTest {
  private static final String REPO = "ironcore/bounded";
  private static final int MIB = 1024 * 1024;

  @TempDir static Path dir;
  private static TestRegistry registry;
  private static StallingRegistry stalling;
  private static MockCluster cluster;
  private static final ProxyClient client = new ProxyClient();

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("registry"));
    registry = TestRegistry.anonymous(dir.resolve("registry"));
    stalling = new StallingRegistry();
    cluster = new MockCluster();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    stalling.close();
    registry.close();
  }

  @Test
  void atMostTheCapOfDownloadsRunTheNextWaitInOrderPastTheQueue503AndAHitNeverWaits() throws Exception {
    // Given a service with 2 registry downloads at once and 2 that may wait, and a cached blob
    byte[] cachedBytes = ProxyClient.randomBytes(MIB, 40);
    Descriptor cached = new ImagePusher(registry).layer(REPO, LayerMediaTypes.KERNEL, cachedBytes);
    try (BootServiceUnderTest service = service(Map.of("boot.max-upstream-downloads", "2",
        "boot.max-queued-downloads", "2", "boot.registry-idle-timeout", "4s", "boot.max-downloads-per-client", "2"))) {
      ProxyClient.assertBlob(client.get(service.bootPort(), path(registry.host(), cached.digest())), cachedBytes,
          "application/octet-stream");
      List<Socket> machines = new ArrayList<>();
      try {
        // When 4 requests ask for 4 blobs of a registry that stalls mid-body (the last 2 from one machine)
        for (int i = 0; i < 4; i++) {
          String blob = path(stalling.host(), digest(i));
          machines.add(i < 2 ? ProxyClient.startDownload(service.bootPort(), blob)
              : request("127.0.0.32", service.bootPort(), blob));
          int started = i + 1;
          await().atMost(Duration.ofSeconds(5)).until(() -> gauge(service, "image_proxy_downloads_active")
              + gauge(service, "image_proxy_downloads_queued") == started);
        }

        // Then 2 are asked of the registry and 2 wait
        assertThat(gauge(service, "image_proxy_downloads_active")).isEqualTo(2);
        assertThat(gauge(service, "image_proxy_downloads_queued")).isEqualTo(2);
        assertThat(stalling.blobRequests()).isEqualTo(2);

        // And a fifth is refused at once with when to retry, while a cached blob is answered at once
        SourceBoundHttp.Response refused = SourceBoundHttp.get("127.0.0.31", service.bootPort(),
            path(stalling.host(), digest(4)));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers()).containsEntry("retry-after", "10");
        assertThat(refused.body()).startsWith("Service Unavailable: ").contains("boot.max-queued-downloads")
            .doesNotContain("\n");
        SourceBoundHttp.Response hit = SourceBoundHttp.get("127.0.0.33", service.bootPort(),
            path(registry.host(), cached.digest()));
        assertThat(hit.status()).isEqualTo(200);
        assertThat(hit.headers()).containsEntry("content-length", String.valueOf(cachedBytes.length));
        assertThat(service.metricsText()).contains("image_proxy_requests_refused_total{reason=\"queue-full\"} 1.0")
            .contains("image_proxy_requests_total{source=\"none\",status=\"503\"} 1.0");

        // And a machine that went away while its two requests waited may ask again at once
        machines.get(2).close();
        machines.get(3).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> SourceBoundHttp.get("127.0.0.32", service.bootPort(),
            path(registry.host(), cached.digest())).status() == 200);
        assertThat(stalling.blobRequests()).isEqualTo(2);

        // When the first two time out, the waiting two take their slots; after them, none is left
        await().atMost(Duration.ofSeconds(15)).until(() -> stalling.blobRequests() == 4);
        assertThat(gauge(service, "image_proxy_downloads_queued")).isZero();
        assertThat(gauge(service, "image_proxy_downloads_active")).isLessThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(15)).until(() -> gauge(service, "image_proxy_downloads_active") == 0);
        assertThat(stalling.blobRequests()).isEqualTo(4);
      } finally {
        for (Socket machine : machines) {
          machine.close();
        }
      }
    }
  }

  @Test
  void moreDownloadsThanTheCapAllComplete() throws Exception {
    // Given 6 blobs and a service with 2 registry downloads at once
    List<byte[]> blobs = new ArrayList<>();
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      blobs.add(ProxyClient.randomBytes(4 * MIB, 50 + i));
      layers.add(new ImagePusher(registry).layer(REPO, LayerMediaTypes.SQUASHFS, blobs.get(i)));
    }
    try (BootServiceUnderTest service = service(Map.of("boot.max-upstream-downloads", "2"))) {
      // When all 6 are asked for at once
      var answers = layers.stream()
          .map(layer -> client.getAsync(service.bootPort(), path(registry.host(), layer.digest()))).toList();

      // Then each machine gets its verified blob, each fetched once
      for (int i = 0; i < 6; i++) {
        ProxyClient.assertBlob(answers.get(i).get(), blobs.get(i), "application/octet-stream");
        ProxyClient.awaitBlobGets(registry, REPO, layers.get(i).digest(), 1);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> gauge(service, "image_proxy_downloads_active") == 0);
    }
  }

  @Test
  void eachClientHasAtMostItsCapOfAnswersUnderWayAndEveryEndReleasesOne() throws Exception {
    // Given a cached 16 MiB blob, a small one, a blob damaged on the registry's disk, and a cap of 2 per client
    byte[] bigBytes = ProxyClient.randomBytes(16 * MIB, 60);
    byte[] smallBytes = ProxyClient.randomBytes(64 * 1024, 61);
    byte[] damagedBytes = ProxyClient.randomBytes(MIB, 62);
    ImagePusher pusher = new ImagePusher(registry);
    String big = path(registry.host(), pusher.layer(REPO, LayerMediaTypes.SQUASHFS, bigBytes).digest());
    String small = path(registry.host(), pusher.layer(REPO, LayerMediaTypes.KERNEL, smallBytes).digest());
    Descriptor damagedLayer = pusher.layer(REPO, LayerMediaTypes.INITRAMFS, damagedBytes);
    Files.write(registry.blobDataFile(damagedLayer.digest()), ProxyClient.randomBytes(damagedBytes.length, 63));
    String damaged = path(registry.host(), damagedLayer.digest());
    try (BootServiceUnderTest service = service(Map.of("boot.max-downloads-per-client", "2",
        "boot.trusted-proxies", "127.0.0.9"))) {
      ProxyClient.assertBlob(client.get(service.bootPort(), big), bigBytes, "application/octet-stream");
      int port = service.bootPort();

      // Answers that end (ok, refused, aborted) each give their place back
      for (int i = 0; i < 3; i++) {
        assertThat(SourceBoundHttp.get("127.0.0.5", port, small).status()).isEqualTo(200);
        assertThat(SourceBoundHttp.get("127.0.0.5", port, path(registry.host(), digest(i))).status()).isEqualTo(404);
        try (Socket aborted = request("127.0.0.5", port, damaged)) {
          assertThat(ProxyClient.bodyBytesUntilClosed(aborted)).isLessThan(damagedBytes.length);
        }
      }

      // When one machine has 2 answers under way (it stopped reading)
      try (Socket first = slowReader("127.0.0.5", port, big); Socket second = slowReader("127.0.0.5", port, big)) {
        // Then its third is refused with a reason, another machine is served
        SourceBoundHttp.Response third = SourceBoundHttp.get("127.0.0.5", port, small);
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.body()).isEqualTo("Too Many Requests: this client has 2 blob downloads under way"
            + " (boot.max-downloads-per-client); wait for one to end");
        assertThat(SourceBoundHttp.get("127.0.0.6", port, small).status()).isEqualTo(200);

        // And once it went away from one of them, it is served again
        first.close();
        await().atMost(Duration.ofSeconds(5))
            .until(() -> SourceBoundHttp.get("127.0.0.5", port, small).status() == 200);
      }
      assertThat(service.metricsText()).contains("image_proxy_requests_refused_total{reason=\"client-limit\"} 1.0");
    }
  }

  @Test
  void behindATrustedProxyEachForwardedClientIsCappedAndTheProxyItselfIsNot() throws Exception {
    // Given a cached 16 MiB blob and a cap of 2 per client; 127.0.0.9 is a trusted proxy
    byte[] bigBytes = ProxyClient.randomBytes(16 * MIB, 70);
    ImagePusher pusher = new ImagePusher(registry);
    String big = path(registry.host(), pusher.layer(REPO, LayerMediaTypes.SQUASHFS, bigBytes).digest());
    String small = path(registry.host(), pusher.layer(REPO, LayerMediaTypes.KERNEL, ProxyClient.randomBytes(1024, 71))
        .digest());
    try (BootServiceUnderTest service = service(Map.of("boot.max-downloads-per-client", "2",
        "boot.trusted-proxies", "127.0.0.9"))) {
      int port = service.bootPort();
      ProxyClient.assertBlob(client.get(port, big), bigBytes, "application/octet-stream");
      List<Socket> held = new ArrayList<>();
      try {
        // When the proxy forwards 2 slow answers for one machine, and 3 with no forwarded client
        held.add(slowReader("127.0.0.9", port, big, "X-Forwarded-For: 192.0.2.10"));
        held.add(slowReader("127.0.0.9", port, big, "X-Forwarded-For: 192.0.2.10"));
        for (int i = 0; i < 3; i++) {
          held.add(slowReader("127.0.0.9", port, big));
        }

        // Then that machine's third is refused, another machine behind the proxy is served
        assertThat(SourceBoundHttp.get("127.0.0.9", port, small, "X-Forwarded-For: 192.0.2.10").status())
            .isEqualTo(429);
        assertThat(SourceBoundHttp.get("127.0.0.9", port, small, "X-Forwarded-For: 192.0.2.11").status())
            .isEqualTo(200);
      } finally {
        for (Socket socket : held) {
          socket.close();
        }
      }
    }
  }

  @Test
  void aBlobLargerThanTheCacheIsStreamedThroughVerifiedAndNeverStored() throws Exception {
    // Given a cache of 8 MiB and a 12 MiB blob
    byte[] bytes = ProxyClient.randomBytes(12 * MIB, 80);
    Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.SQUASHFS, bytes);
    Path cacheDir = dir.resolve("cache-larger");
    try (BootServiceUnderTest service = service(Map.of("boot.blob-cache-max-bytes", "8Mi",
        "boot.blob-cache-dir", cacheDir.toString()))) {
      // When two machines ask for it, one after the other
      ProxyClient.assertBlob(client.get(service.bootPort(), path(registry.host(), layer.digest())), bytes,
          "application/octet-stream");
      ProxyClient.assertBlob(client.get(service.bootPort(), path(registry.host(), layer.digest())), bytes,
          "application/octet-stream");

      // Then each got it from the registry, nothing was stored, and the cache never grew
      ProxyClient.awaitBlobGets(registry, REPO, layer.digest(), 2);
      assertThat(cacheDir.resolve("sha256").resolve(layer.digest().substring(7))).doesNotExist();
      assertThat(cacheDir.resolve("tmp").toFile().list()).isEmpty();
      assertThat(service.metricsText()).contains("blob_cache_over_bound_total 2.0").contains("blob_cache_size_bytes 0.0");
    }
  }

  @Test
  void aBlobThatDoesNotFitBecauseEveryOtherIsBeingReadIsStreamedThroughAndCachedOnceThereIsRoom() throws Exception {
    // Given a cache of 20 MiB holding two 8 MiB blobs, each being read by a machine that stopped reading
    ImagePusher pusher = new ImagePusher(registry);
    byte[] aBytes = ProxyClient.randomBytes(8 * MIB, 90);
    byte[] bBytes = ProxyClient.randomBytes(8 * MIB, 91);
    byte[] cBytes = ProxyClient.randomBytes(8 * MIB, 92);
    String a = path(registry.host(), pusher.layer(REPO, LayerMediaTypes.SQUASHFS, aBytes).digest());
    String b = path(registry.host(), pusher.layer(REPO, LayerMediaTypes.SQUASHFS, bBytes).digest());
    Descriptor cLayer = pusher.layer(REPO, LayerMediaTypes.SQUASHFS, cBytes);
    String c = path(registry.host(), cLayer.digest());
    Path cacheDir = dir.resolve("cache-pinned");
    Path cachedC = cacheDir.resolve("sha256").resolve(cLayer.digest().substring(7));
    try (BootServiceUnderTest service = service(Map.of("boot.blob-cache-max-bytes", "20Mi",
        "boot.blob-cache-dir", cacheDir.toString()))) {
      int port = service.bootPort();
      ProxyClient.assertBlob(client.get(port, a), aBytes, "application/octet-stream");
      ProxyClient.assertBlob(client.get(port, b), bBytes, "application/octet-stream");
      try (Socket readingA = slowReader("127.0.0.21", port, a); Socket readingB = slowReader("127.0.0.22", port, b)) {
        assertThat(service.metricsText()).contains("blob_cache_pinned_blobs 2.0");

        // When a third 8 MiB blob is asked for
        ProxyClient.assertBlob(client.get(port, c), cBytes, "application/octet-stream");

        // Then it was streamed through, verified, and neither stored nor making the cache evict a blob in use
        assertThat(cachedC).doesNotExist();
        assertThat(service.metricsText()).contains("blob_cache_over_bound_total 1.0")
            .contains("blob_cache_evictions_total 0.0").contains("blob_cache_size_bytes " + (16.0 * MIB));
      }

      // When the machines went away, the next request for it has room and caches it
      await().atMost(Duration.ofSeconds(5)).until(() -> service.metricsText().contains("blob_cache_pinned_blobs 0.0"));
      ProxyClient.assertBlob(client.get(port, c), cBytes, "application/octet-stream");
      await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(cachedC));
      ProxyClient.awaitBlobGets(registry, REPO, cLayer.digest(), 2);
      assertThat(service.metricsText()).contains("blob_cache_over_bound_total 1.0")
          .contains("blob_cache_evictions_total 1.0").contains("blob_cache_size_bytes " + (16.0 * MIB));
    }
  }

  @Test
  void aStalledReadersSocketHoldsAtMostTheUnsentBoundTheRestWaitsInThePageCache() throws Exception {
    // Given a cached 16 MiB blob
    byte[] bytes = ProxyClient.randomBytes(16 * MIB, 90);
    String blob = path(registry.host(), new ImagePusher(registry).layer(REPO, LayerMediaTypes.SQUASHFS, bytes).digest());
    // When a machine that stopped reading after the head is served with 64 KiB unsent allowed
    long bounded;
    try (BootServiceUnderTest service = service(Map.of("boot.blob-unsent-bytes", "64Ki"))) {
      ProxyClient.assertBlob(client.get(service.bootPort(), blob), bytes, "application/octet-stream");
      try (Socket stalled = slowReader("127.0.0.41", service.bootPort(), blob)) {
        bounded = settledSendQueue(service.bootPort(), stalled.getLocalPort());
        // And it reads on, it still gets every byte
        assertThat(stalled.getInputStream().readNBytes(bytes.length)).isEqualTo(bytes);
      }
    }
    // Then its socket held the bound (plus the bytes in flight and one segment), where the kernel's
    // default lets it take megabytes (measured beside it, so the bound is what made the difference)
    long unbounded;
    try (BootServiceUnderTest service = service(Map.of("boot.blob-unsent-bytes", "0"))) {
      ProxyClient.assertBlob(client.get(service.bootPort(), blob), bytes, "application/octet-stream");
      try (Socket stalled = slowReader("127.0.0.42", service.bootPort(), blob)) {
        unbounded = settledSendQueue(service.bootPort(), stalled.getLocalPort());
      }
    }
    assertThat(bounded).isBetween(64L * 1024, 192L * 1024);
    assertThat(unbounded).isGreaterThan(MIB);
  }

  private static BootServiceUnderTest service(Map<String, String> settings) throws Exception {
    Map<String, String> all = new HashMap<>(settings);
    all.put("boot.allowed-registries", registry.host() + "," + stalling.host());
    return BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()), all);
  }

  /**
   * A machine at {@code source} that asks for a blob, reads the response head and then nothing more:
   * with a small receive buffer, a blob of some MiB stays under way until the socket closes.
   */
  private static Socket slowReader(String source, int port, String path, String... headerLines) throws Exception {
    Socket socket = request(source, port, path, headerLines);
    assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 200 OK");
    return socket;
  }

  /** A GET sent from {@code source} over a socket with a small receive buffer; nothing read yet. */
  private static Socket request(String source, int port, String path, String... headerLines) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(30_000);
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: boot.example\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    socket.getOutputStream().write(request.append("\r\n").toString().getBytes(UTF_8));
    return socket;
  }

  /**
   * The bytes queued in the service's socket towards a client's port (sent but unacknowledged, and
   * unsent: /proc/net/tcp's tx_queue) once they stopped changing for half a second.
   */
  private static long settledSendQueue(int servicePort, int clientPort) throws Exception {
    long[] last = {-1};
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
      long now = sendQueue(servicePort, clientPort);
      boolean settled = now > 0 && now == last[0];
      last[0] = now;
      return settled;
    });
    return last[0];
  }

  private static long sendQueue(int servicePort, int clientPort) throws Exception {
    String local = String.format(":%04X", servicePort);
    String remote = String.format(":%04X", clientPort);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] fields = line.trim().split("\\s+");
        if (fields[1].endsWith(local) && fields[2].endsWith(remote)) {
          return Long.parseLong(fields[4].split(":")[0], 16);
        }
      }
    }
    return 0;
  }

  /** Reads a response head, returns its first line. */
  private static String statusLine(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      head.append((char) next);
    }
    return head.toString().split("\r\n", 2)[0];
  }

  private static String path(String host, String digest) {
    return ProxyClient.imagePath(host + "/" + REPO, digest);
  }

  private static String digest(int number) {
    return "sha256:" + String.format("%064x", number + 0xb0);
  }

  private static double gauge(BootServiceUnderTest service, String name) throws Exception {
    Matcher value = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(service.metricsText());
    assertThat(value.find()).as(name).isTrue();
    return Double.parseDouble(value.group(1));
  }
}
