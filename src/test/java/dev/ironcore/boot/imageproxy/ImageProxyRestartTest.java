package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache across a restart (without the registry), the cache switched off, and what the metrics say. */
class ImageProxyRestartTest {
  private static final String REPO = "ironcore/restart";
  private final ProxyClient client = new ProxyClient();

  @TempDir Path dir;

  @Test
  void aBlobCachedBeforeARestartIsServedAfterItWithTheRegistryGone() throws Exception {
    // Given a blob fetched once through the service
    byte[] bytes = ProxyClient.randomBytes(2 * 1024 * 1024, 13);
    Path cacheDir = dir.resolve("cache");
    String path;
    try (MockCluster cluster = new MockCluster()) {
      Files.createDirectories(dir.resolve("registry"));
      TestRegistry registry = TestRegistry.anonymous(dir.resolve("registry"));
      Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.KERNEL, bytes);
      path = ProxyClient.imagePath(registry.host() + "/" + REPO, layer.digest());
      Map<String, String> properties = Map.of("boot.allowed-registries", registry.host(),
          "boot.blob-cache-dir", cacheDir.toString());
      try (BootServiceUnderTest first = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()), properties)) {
        ProxyClient.assertBlob(client.get(first.bootPort(), path), bytes, "application/octet-stream");
      }

      // When the registry is gone and the service starts again on the same cache
      registry.close();
      try (BootServiceUnderTest second = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()), properties)) {

        // Then the blob is served (re-verified) from the cache, and the metrics say so
        ProxyClient.assertBlob(client.get(second.bootPort(), path), bytes, "application/octet-stream");
        String metrics = second.metricsText();
        assertThat(metrics).contains("blob_cache_lookups_total{result=\"hit\"} 1.0")
            .contains("blob_cache_served_bytes_total{source=\"cache\"} " + (double) bytes.length)
            .contains("image_proxy_requests_total{source=\"cache\",status=\"200\"} 1.0")
            .contains("image_proxy_upstream_downloads 0.0");
      }
    }
  }

  @Test
  void withTheCacheOffBlobsStreamVerifiedAndNothingIsStored() throws Exception {
    byte[] bytes = ProxyClient.randomBytes(1024 * 1024, 14);
    Path cacheDir = dir.resolve("off");
    Files.createDirectories(dir.resolve("registry"));
    try (MockCluster cluster = new MockCluster(); TestRegistry registry = TestRegistry.anonymous(dir.resolve("registry"))) {
      Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.KERNEL, bytes);
      String path = ProxyClient.imagePath(registry.host() + "/" + REPO, layer.digest());
      try (BootServiceUnderTest service = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
          Map.of("boot.allowed-registries", registry.host(), "boot.blob-cache-dir", cacheDir.toString(),
              "boot.blob-cache-enabled", "false"))) {
        ProxyClient.assertBlob(client.get(service.bootPort(), path), bytes, "application/octet-stream");
        ProxyClient.assertBlob(client.get(service.bootPort(), path), bytes, "application/octet-stream");
        String metrics = service.metricsText();
        assertThat(metrics).contains("image_proxy_upstream_latency_seconds_count 2\n");
      }
      ProxyClient.awaitBlobGets(registry, REPO, layer.digest(), 2);
      assertThat(cacheDir).doesNotExist();
    }
  }
}
