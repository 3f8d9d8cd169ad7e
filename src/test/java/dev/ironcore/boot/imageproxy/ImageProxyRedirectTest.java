package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.RedirectingFront;
import dev.ironcore.boot.testing.registry.RedirectingFront.Request;
import dev.ironcore.boot.testing.registry.RedirectingFront.Target;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers behind a token-checking registry front that redirects them (COMPAT §5): we follow the
 * redirect, the machine gets the bytes; the registry's token goes to the same host:port only, never
 * to another one, and nothing of the machine's own credentials goes upstream at all.
 */
class ImageProxyRedirectTest {
  private static final String REPO = "ironcore/redirected";
  /** A machine (or something between it and us) that sends credentials of its own. */
  private static final String[] MACHINE_CREDENTIALS = {"Authorization", "Basic bWFjaGluZTpzZWNyZXQ=",
      "Cookie", "machine-session=1", "Proxy-Authorization", "Basic bWFjaGluZTpwcm94eQ=="};

  @TempDir static Path dir;
  private static TestRegistry registry;
  private static RedirectingFront toOtherHost;
  private static RedirectingFront toSameHost;
  private static MockCluster cluster;
  private static BootServiceUnderTest service;
  private static final ProxyClient client = new ProxyClient();

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.withTokenAuth(dir);
    toOtherHost = RedirectingFront.start(registry, Target.OTHER_HOST);
    toSameHost = RedirectingFront.start(registry, Target.SAME_HOST);
    cluster = new MockCluster();
    service = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
        // The CDN on loopback is allowed by name: a redirect to another loopback address is refused otherwise
        Map.of("boot.allowed-registries", String.join(",", toOtherHost.host(), toSameHost.host(), toOtherHost.cdnHost())));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    cluster.close();
    toOtherHost.close();
    toSameHost.close();
    registry.close();
  }

  private static String imagePath(RedirectingFront front, Descriptor layer) {
    return ProxyClient.imagePath(front.host() + "/" + REPO, layer.digest());
  }

  @Test
  void aLayerRedirectedToAnotherHostArrivesAndTheOtherHostGetsNoCredentials() throws Exception {
    // Given three layers behind a front on 127.0.0.1 that redirects (307) to a CDN on 127.0.0.2
    ImagePusher pusher = new ImagePusher(registry);
    byte[] kernel = ProxyClient.randomBytes(3 * 1024 * 1024, 31);
    byte[] uki = ProxyClient.randomBytes(1024 * 1024, 32);
    byte[] initrd = ProxyClient.randomBytes(512 * 1024, 33);
    Descriptor kernelLayer = pusher.layer(REPO, LayerMediaTypes.KERNEL, kernel);
    Descriptor ukiLayer = pusher.layer(REPO, LayerMediaTypes.UKI, uki);
    Descriptor initrdLayer = pusher.layer(REPO, LayerMediaTypes.INITRAMFS, initrd);

    // When a machine sending credentials of its own GETs one by /image, one by /httpboot and HEADs the third
    // by /httpboot (no config references it and that form names no manifest: the registry's head answers)
    HttpResponse<byte[]> kernelAnswer = client.get(service.bootPort(), imagePath(toOtherHost, kernelLayer), MACHINE_CREDENTIALS);
    HttpResponse<byte[]> ukiAnswer = client.get(service.bootPort(),
        "/httpboot/" + toOtherHost.host() + "/" + REPO + "/sha256-" + ukiLayer.digest().substring(7) + ".efi",
        MACHINE_CREDENTIALS);
    HttpResponse<byte[]> initrdHead = client.send(service.bootPort(), "HEAD",
        "/httpboot/" + toOtherHost.host() + "/" + REPO + "/sha256-" + initrdLayer.digest().substring(7) + ".efi",
        MACHINE_CREDENTIALS);

    // Then it gets the exact bytes and headers, never the redirect
    ProxyClient.assertBlob(kernelAnswer, kernel, "application/octet-stream");
    ProxyClient.assertBlob(ukiAnswer, uki, "application/efi");
    assertThat(kernelAnswer.headers().firstValue("Transfer-Encoding")).isEmpty();
    assertThat(kernelAnswer.headers().firstValue("Location")).isEmpty();
    assertThat(initrdHead.statusCode()).isEqualTo(200);
    assertThat(initrdHead.headers().firstValue("Content-Length")).hasValue(String.valueOf(initrd.length));
    assertThat(initrdHead.headers().firstValue("Content-Type")).hasValue("application/efi");
    assertThat(initrdHead.body()).isEmpty();

    for (Descriptor layer : List.of(kernelLayer, ukiLayer, initrdLayer)) {
      // And the front got each layer request with the registry's token (it checks it with the registry before its 307)
      assertThat(toOtherHost.frontRequests()).filteredOn(request -> request.isFor(layer.digest()))
          .singleElement().satisfies(request -> {
            assertThat(request.uri()).isEqualTo("/v2/" + REPO + "/blobs/" + layer.digest());
            assertThat(request.authorization()).startsWith("Bearer ");
          });
      // And the CDN got it with no Authorization, no Cookie (though the front set one) and no Proxy-Authorization
      assertThat(toOtherHost.cdnRequests()).filteredOn(request -> request.isFor(layer.digest()))
          .singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.authorization()).isNull();
            assertThat(request.cookie()).isNull();
            assertThat(request.proxyAuthorization()).isNull();
          });
    }
    // And the machine's credentials reached no upstream server; the only Authorization sent was the token
    assertNoMachineCredentials(toOtherHost.frontRequests());
    assertNoMachineCredentials(toOtherHost.cdnRequests());
  }

  @Test
  void aRedirectToTheSameHostAndPortKeepsTheToken() throws Exception {
    // Given a layer behind a front that redirects (307) to another path of its own host:port, which
    // serves the layer from the registry with whatever Authorization it gets
    byte[] bytes = ProxyClient.randomBytes(2 * 1024 * 1024, 34);
    Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.SQUASHFS, bytes);

    // When a machine asks for it
    HttpResponse<byte[]> answer = client.get(service.bootPort(), imagePath(toSameHost, layer), MACHINE_CREDENTIALS);

    // Then it gets the bytes (the registry accepted the token on the second hop)
    ProxyClient.assertBlob(answer, bytes, "application/octet-stream");
    // And both hops carried the same token, and only it
    List<Request> hops = toSameHost.frontRequests().stream().filter(request -> request.isFor(layer.digest())).toList();
    assertThat(hops).extracting(Request::uri)
        .containsExactly("/v2/" + REPO + "/blobs/" + layer.digest(), "/moved/v2/" + REPO + "/blobs/" + layer.digest());
    assertThat(hops.get(0).authorization()).startsWith("Bearer ");
    assertThat(hops.get(1).authorization()).isEqualTo(hops.get(0).authorization());
    assertThat(toSameHost.cdnRequests()).isEmpty();
    assertNoMachineCredentials(toSameHost.frontRequests());
  }

  private static void assertNoMachineCredentials(List<Request> requests) {
    assertThat(requests).isNotEmpty().allSatisfy(request -> {
      assertThat(request.authorization()).as(request.uri()).satisfiesAnyOf(
          authorization -> assertThat(authorization).isNull(),
          authorization -> assertThat(authorization).startsWith("Bearer "));
      assertThat(request.cookie()).as(request.uri()).isNull();
      assertThat(request.proxyAuthorization()).as(request.uri()).isNull();
    });
  }
}
