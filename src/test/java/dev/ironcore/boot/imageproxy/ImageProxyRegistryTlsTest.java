package dev.ironcore.boot.imageproxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.TestCertificates;
import dev.ironcore.boot.testing.TestCertificates.KeyForm;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.RedirectingFront;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Manifests and layers over HTTPS, end to end: a registry front sends them to a CDN that speaks TLS
 * only, with a certificate of a private CA (root, intermediate, leaf for 127.0.0.2), as ghcr.io sends
 * blobs to its storage. With the CA in {@code boot.registry-ca-bundle} the machine gets its verified
 * bytes; without it, a 502 that says the certificate is not trusted, and a log line that says where
 * to add the CA.
 */
class ImageProxyRegistryTlsTest {
  private static final String REPO = "ironcore/tls";
  private static final String TAG = "v1";

  @TempDir static Path dir;
  private static TestRegistry registry;
  private static RedirectingFront front;
  private static MockCluster cluster;
  private static BootServiceUnderTest trusting;
  private static BootServiceUnderTest notTrusting;
  private static Descriptor kernelLayer;
  private static byte[] kernel;
  private static final ProxyClient client = new ProxyClient();
  private final ListAppender<ILoggingEvent> requestLog = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.anonymous(Files.createDirectory(dir.resolve("registry")));
    kernel = ProxyClient.randomBytes(3 * 1024 * 1024, 41);
    ImagePusher pusher = new ImagePusher(registry);
    kernelLayer = pusher.layer(REPO, LayerMediaTypes.KERNEL, kernel);
    pusher.image(REPO, TAG, List.of(kernelLayer));

    TestCertificates ca = TestCertificates.authority(Files.createDirectory(dir.resolve("ca")));
    front = RedirectingFront.startWithHttpsCdn(registry, ca.serverContext(ca.leaf(KeyForm.EC_PKCS8, "IP:127.0.0.2")));
    cluster = new MockCluster();
    // The CDN on loopback is allowed by name: a redirect to another loopback address is refused otherwise
    String allowed = front.host() + "," + front.cdnHost();
    trusting = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
        Map.of("boot.allowed-registries", allowed, "boot.registry-ca-bundle", ca.root().toString()));
    notTrusting = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
        Map.of("boot.allowed-registries", allowed));
  }

  @AfterAll
  static void stop() throws Exception {
    trusting.close();
    notTrusting.close();
    cluster.close();
    front.close();
    registry.close();
  }

  @BeforeEach
  void captureRequestLog() {
    requestLog.start();
    requestLog().addAppender(requestLog);
  }

  @AfterEach
  void releaseRequestLog() {
    requestLog().detachAppender(requestLog);
  }

  @Test
  void withThePrivateCaInTheBundleTheManifestAndTheLayerComeOverTls() throws Exception {
    // When a machine asks for the kernel of the tagged image (the manifest, then the layer)
    String byTag = ProxyClient.imagePathByTag(front.host() + "/" + REPO, TAG, LayerMediaTypes.KERNEL);
    HttpResponse<byte[]> answer = client.get(trusting.bootPort(), byTag);

    // Then it gets the exact bytes, and both came from the CDN, which speaks nothing but TLS
    ProxyClient.assertBlob(answer, kernel, "application/octet-stream");
    assertThat(front.cdnRequests()).extracting(RedirectingFront.Request::uri)
        .contains("/v2/" + REPO + "/manifests/" + TAG, "/v2/" + REPO + "/blobs/" + kernelLayer.digest());
    // And the next machine is served from the cache: one download of the layer in all
    ProxyClient.assertBlob(client.get(trusting.bootPort(), byTag), kernel, "application/octet-stream");
    assertThat(registry.blobGets(REPO, kernelLayer.digest())).isEqualTo(1);
  }

  @Test
  void withoutTheCaTheMachineIsToldTheCertificateIsNotTrustedAndTheLogSaysWhereToAddIt() throws Exception {
    String image = front.host() + "/" + REPO;
    long downloadsBefore = registry.blobGets(REPO, kernelLayer.digest());

    HttpResponse<byte[]> answer = client.get(notTrusting.bootPort(), ProxyClient.imagePath(image, kernelLayer.digest()));

    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(new String(answer.body(), UTF_8))
        .isEqualTo("Bad Gateway: registry for " + image + " presented a certificate we do not trust");
    assertThat(notTrusting.metric("image_proxy_upstream_errors_total", "untrusted")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(requestLog.list)
        .extracting(ILoggingEvent::getFormattedMessage).anySatisfy(line -> assertThat(line)
            .contains("https://" + front.cdnHost() + " presented a certificate that no trusted CA signed")
            .contains("add that CA's certificate (PEM) to boot.registry-ca-bundle")));
    // And so is one whose request needs the manifest first
    HttpResponse<byte[]> byTag = client.get(notTrusting.bootPort(),
        ProxyClient.imagePathByTag(image, TAG, LayerMediaTypes.KERNEL));
    assertThat(byTag.statusCode()).isEqualTo(502);
    assertThat(new String(byTag.body(), UTF_8))
        .isEqualTo("Bad Gateway: registry for " + image + " presented a certificate we do not trust");
    // And the layer's bytes were never fetched: the handshake ended it
    assertThat(registry.blobGets(REPO, kernelLayer.digest())).isEqualTo(downloadsBefore);
  }

  private static Logger requestLog() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("boot.images");
  }
}
