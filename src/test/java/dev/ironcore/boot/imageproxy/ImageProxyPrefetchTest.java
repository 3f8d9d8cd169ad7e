package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.boot.BootConfigState;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A boot config that becomes Ready has its layers fetched before the first machine asks. */
class ImageProxyPrefetchTest {
  private static final String REPO = "ironcore/prefetch";
  private final ProxyClient client = new ProxyClient();

  @TempDir Path dir;

  @Test
  void theLayersOfAReadyConfigAreCachedBeforeTheFirstMachineAsks() throws Exception {
    // Given a registry with a kernel and a service watching boot configs
    byte[] kernel = ProxyClient.randomBytes(1024 * 1024, 16);
    Path cacheDir = dir.resolve("cache");
    Files.createDirectories(dir.resolve("registry"));
    try (MockCluster cluster = new MockCluster(); KubernetesClient kube = cluster.newClient();
        TestRegistry registry = TestRegistry.anonymous(dir.resolve("registry"))) {
      Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.KERNEL, kernel);
      String path = ProxyClient.imagePath(registry.host() + "/" + REPO, layer.digest());
      try (BootServiceUnderTest service = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
          Map.of("boot.allowed-registries", registry.host(), "boot.blob-cache-dir", cacheDir.toString()))) {

        // When a config pointing at it (and at a URL that is not ours) becomes Ready
        IPXEBootConfig config = kube.resource(Fixtures.ipxeConfig("rack-1", "6d3c2b1a-0000-4000-8000-000000000002",
            "http://boot.example:8082" + path, "http://elsewhere.example/initrd", null)).create();
        config.getStatus().setState(BootConfigState.READY);
        kube.resource(config).updateStatus();

        // Then the kernel is fetched once into the cache, and the first machine gets it from there
        Path cached = cacheDir.resolve("sha256").resolve(layer.digest().substring(7));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(cached));
        ProxyClient.awaitBlobGets(registry, REPO, layer.digest(), 1);
        int logged = registry.accessLog().size();
        ProxyClient.assertBlob(client.get(service.bootPort(), path), kernel, "application/octet-stream");
        assertThat(registry.accessLog()).hasSize(logged);
        String metrics = service.metricsText();
        // (the foreign URL is skipped at every status change of the config: the controller writes one too)
        assertThat(metrics).contains("image_proxy_prefetches_total{result=\"fetched\"} 1.0")
            .containsPattern("image_proxy_prefetches_total\\{result=\"skipped\"} [1-9]");
      }
    }
  }
}
