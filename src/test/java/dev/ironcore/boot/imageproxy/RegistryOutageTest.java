package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry outage while machines boot: a layer named by its image's tag (the form that needs the
 * manifest) is still served from the cache, the tag resolved to the registry's last answer.
 */
class RegistryOutageTest {
  private static final String REPO = "ironcore/outage";

  @TempDir Path dir;

  @Test
  void aCachedLayerNamedByTagIsStillServedWhileTheRegistryIsDown() throws Exception {
    try (TestRegistry registry = TestRegistry.anonymous(dir); MockCluster cluster = new MockCluster();
        BootServiceUnderTest service = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
            Map.of("boot.allowed-registries", registry.host(), "boot.registry-tag-ttl", "500ms"))) {
      // Given a kernel fetched once by the image's tag, so its layer is cached
      byte[] kernel = ProxyClient.randomBytes(2 * 1024 * 1024, 71);
      Descriptor kernelLayer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.KERNEL, kernel);
      new ImagePusher(registry).image(REPO, "v1", List.of(kernelLayer));
      String byTag = ProxyClient.imagePathByTag(registry.host() + "/" + REPO, "v1", LayerMediaTypes.KERNEL);
      ProxyClient client = new ProxyClient();
      ProxyClient.assertBlob(client.get(service.bootPort(), byTag), kernel, "application/octet-stream");

      // When the registry goes away and the tag's resolution has expired
      registry.kill();

      // Then machines still get the kernel, the tag resolved to the registry's last answer
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        ProxyClient.assertBlob(client.get(service.bootPort(), byTag), kernel, "application/octet-stream");
        assertThat(service.metric("registry_stale_tag_answers_total")).isPositive();
      });
    }
  }
}
