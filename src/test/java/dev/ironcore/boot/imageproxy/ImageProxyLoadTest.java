package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many slow or vanishing clients: boot scripts stay fast and nothing leaks. */
class ImageProxyLoadTest {
  private static final String REPO = "ironcore/load";
  private static final String UUID = "6d3c2b1a-0000-4000-8000-000000000001";

  @TempDir static Path dir;
  private static TestRegistry registry;
  private static MockCluster cluster;
  private static BootServiceUnderTest service;
  private static final ProxyClient client = new ProxyClient();
  private static Path cacheDir;
  private static byte[] bytes;
  private static Descriptor cached;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("registry"));
    registry = TestRegistry.anonymous(dir.resolve("registry"));
    bytes = ProxyClient.randomBytes(8 * 1024 * 1024, 9);
    cached = new ImagePusher(registry).layer(REPO, LayerMediaTypes.SQUASHFS, bytes);
    cluster = new MockCluster();
    try (KubernetesClient kube = cluster.newClient()) {
      kube.resource(Fixtures.ipxeConfig("rack-1", UUID, "http://k/kernel", "http://k/initrd", null)).create();
    }
    cacheDir = dir.resolve("cache");
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.allowed-registries", registry.host(),
        "boot.blob-cache-dir", cacheDir.toString(),
        "boot.ipxe-service-url", "http://boot.example:8082",
        "boot.max-downloads-per-client", "200")); // the 200 machines below all ask from 127.0.0.1
    ProxyClient.assertBlob(client.get(service.bootPort(), path(cached)), bytes, "application/octet-stream");
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    cluster.close();
    registry.close();
  }

  private static String path(Descriptor layer) {
    return ProxyClient.imagePath(registry.host() + "/" + REPO, layer.digest());
  }

  @Test
  void twoHundredSlowDownloadsLeaveBootScriptsAnsweringInMilliseconds() throws Exception {
    // Given 200 machines downloading a blob and reading almost nothing (backpressure holds them)
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        Socket socket = ProxyClient.startDownload(i % 2 == 0 ? service.bootPort() : service.imagePort(), path(cached));
        slow.add(socket);
        ProxyClient.read(socket, 1024);
      }

      // Then a boot script still answers at once, each time
      for (int i = 0; i < 5; i++) {
        long started = System.nanoTime();
        assertThat(client.get(service.bootPort(), "/ipxe/" + UUID).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
    awaitNoCacheFilesOpen();
  }

  @Test
  void clientsThatGoAwayMidDownloadLeaveNoOpenFileOrConnection() throws Exception {
    // Given a blob nobody fetched yet, and the descriptors open now
    byte[] fresh = ProxyClient.randomBytes(16 * 1024 * 1024, 10);
    Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.KERNEL, fresh);
    long before = ProxyClient.openFileDescriptors();

    // When 10 clients of the download and 10 of a cached blob go away after a few bytes
    for (Descriptor blob : List.of(layer, cached)) {
      for (int i = 0; i < 10; i++) {
        try (Socket socket = ProxyClient.startDownload(service.bootPort(), path(blob))) {
          ProxyClient.read(socket, 256 * 1024);
        }
      }
    }

    // Then no cache file stays open and descriptors return to where they were (+ pooled registry connections)
    awaitNoCacheFilesOpen();
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(ProxyClient.openFileDescriptors()).isLessThanOrEqualTo(before + 4));
    ProxyClient.assertBlob(client.get(service.bootPort(), path(layer)), fresh, "application/octet-stream");
  }

  private static void awaitNoCacheFilesOpen() {
    await().atMost(Duration.ofSeconds(10)).until(() -> openCacheFiles() == 0);
  }

  private static long openCacheFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).startsWith(cacheDir);
        } catch (IOException gone) {
          return false;
        }
      }).count();
    }
  }
}
