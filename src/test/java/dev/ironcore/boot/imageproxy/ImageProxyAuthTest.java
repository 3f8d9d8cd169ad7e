package dev.ironcore.boot.imageproxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import dev.ironcore.boot.testing.registry.TokenIssuer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blobs from a registry with bearer-token auth: tokens on a miss, none on a hit, 401 when the issuer fails. */
class ImageProxyAuthTest {
  @TempDir static Path dir;
  private static TestRegistry registry;
  private static TokenIssuer issuer;
  private static MockCluster cluster;
  private static BootServiceUnderTest service;
  private static final ProxyClient client = new ProxyClient();

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.withTokenAuth(dir);
    issuer = registry.tokenIssuer().orElseThrow();
    cluster = new MockCluster();
    service = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
        Map.of("boot.allowed-registries", registry.host()));
  }

  @AfterEach
  void issueTokensAgain() {
    issuer.failWith(0);
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    cluster.close();
    registry.close();
  }

  private static String path(String repository, Descriptor layer) {
    return ProxyClient.imagePath(registry.host() + "/" + repository, layer.digest());
  }

  @Test
  void aMissFetchesWithATokenAndAHitAsksNeitherTheRegistryNorTheIssuer() throws Exception {
    byte[] bytes = ProxyClient.randomBytes(1024 * 1024, 8);
    Descriptor layer = new ImagePusher(registry).layer("ironcore/private", LayerMediaTypes.KERNEL, bytes);

    ProxyClient.assertBlob(client.get(service.bootPort(), path("ironcore/private", layer)), bytes, "application/octet-stream");
    int tokens = issuer.requestCount();
    int logged = registry.accessLog().size();
    ProxyClient.assertBlob(client.get(service.bootPort(), path("ironcore/private", layer)), bytes, "application/octet-stream");

    assertThat(tokens).isPositive();
    assertThat(issuer.requestCount()).isEqualTo(tokens);
    assertThat(registry.accessLog()).hasSize(logged);
  }

  @Test
  void aFailingTokenEndpointIs401() throws Exception {
    Descriptor layer = new ImagePusher(registry).layer("ironcore/locked", LayerMediaTypes.KERNEL, new byte[] {1, 2, 3});
    issuer.failWith(500);

    HttpResponse<byte[]> answer = client.get(service.bootPort(), path("ironcore/locked", layer));

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(new String(answer.body(), UTF_8)).isEqualTo("Authentication failed");
  }
}
