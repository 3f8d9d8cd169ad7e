package dev.ironcore.boot.imageproxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.SourceBoundHttp;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code boot.image-proxy-scope}: with {@code referenced} only the layers boot configs name are relayed
 * and anything else is a 404 that no registry hears of; {@code audit} serves, logs once per image and
 * client and counts; {@code allowed-registries} serves as Go does. And a HEAD of a layer no config
 * references is answered from what is known, without filling the cache. Real registry, mock API.
 */
class ImageProxyScopeTest {
  private static final String REPO = "ironcore/scope";
  private static final String UUID_A = "6d3c2b1a-0000-4000-8000-00000000000a";
  private static final String UUID_B = "6d3c2b1a-0000-4000-8000-00000000000b";
  private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
  private static final Duration SYNC = Duration.ofSeconds(10);

  @TempDir static Path registryDir;
  private static TestRegistry registry;
  private static String image;
  private static Descriptor kernel;
  private static Descriptor initrd;
  private static Descriptor uki;
  private static Descriptor unreferenced;

  @TempDir Path dir;
  private final ProxyClient http = new ProxyClient();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final ListAppender<ILoggingEvent> auditLog = new ListAppender<>();
  private final ListAppender<ILoggingEvent> requestLog = new ListAppender<>();
  private KubernetesClient kube;
  private MockCluster cluster;
  private Path cacheDir;

  @BeforeAll
  static void pushImage() throws Exception {
    registry = TestRegistry.anonymous(registryDir);
    ImagePusher pusher = new ImagePusher(registry);
    kernel = pusher.layer(REPO, LayerMediaTypes.KERNEL, ProxyClient.randomBytes(64 * 1024, 1));
    initrd = pusher.layer(REPO, LayerMediaTypes.INITRAMFS, ProxyClient.randomBytes(64 * 1024, 2));
    uki = pusher.layer(REPO, LayerMediaTypes.UKI, ProxyClient.randomBytes(64 * 1024, 3));
    unreferenced = pusher.layer(REPO, "application/vnd.example.other", ProxyClient.randomBytes(48 * 1024, 4));
    pusher.image(REPO, "v1", List.of(kernel, initrd, uki, unreferenced));
    image = registry.host() + "/" + REPO;
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  @BeforeEach
  void startCluster() {
    cluster = new MockCluster();
    kube = cluster.newClient();
    cacheDir = dir.resolve("cache");
    auditLog.start();
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ImageProxyScope.class).addAppender(auditLog);
    requestLog.start();
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("boot.images").addAppender(requestLog);
  }

  @AfterEach
  void stop() throws Exception {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ImageProxyScope.class).detachAppender(auditLog);
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("boot.images").detachAppender(requestLog);
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    kube.close();
    cluster.close();
  }

  @Test
  void referencedServesTheLayersConfigsNameAndRefusesTheRestWithoutAskingAnyRegistry() throws Exception {
    // Given an iPXE config naming a kernel by digest and an initrd by media type, and an HTTP boot config a UKI
    kube.resource(Fixtures.ipxeConfig("machine-a", UUID_A, "http://boot.example:8082" + digestPath(kernel),
        "http://boot.example:8082" + layerNamePath("v1", LayerMediaTypes.INITRAMFS), null)).create();
    kube.resource(Fixtures.httpConfig("machine-b", UUID_B, List.of("10.0.0.1"),
        "http://boot.example:8083" + httpBootPath(uki))).create();
    // (the 100 HEADs below come from one address: past the per-client cap they would be 429s)
    BootServiceUnderTest service = start("referenced", Map.of("boot.max-downloads-per-client", "200"));

    // Then each is served, the UKI as EFI
    await().atMost(WITHIN_A_SECOND).until(() -> status(service, "GET", digestPath(kernel)) == 200);
    assertThat(http.get(service.bootPort(), layerNamePath("v1", LayerMediaTypes.INITRAMFS)).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> efi = http.get(service.imagePort(), httpBootPath(uki));
    assertThat(efi.statusCode()).isEqualTo(200);
    assertThat(efi.headers().firstValue("Content-Type")).hasValue("application/efi");
    // (its log line counts the body's bytes, which the kernel sent from the cache's file)
    await().atMost(WITHIN_A_SECOND).untilAsserted(() -> assertThat(requestLog.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("digest=" + uki.digest(), "status=200", "bytes=" + uki.size() + " ")));

    // When anything else is asked for: another layer of the same image in each form, another tag, and
    // 100 HEADs at once for digests nobody pushed
    int registryRequests = registry.accessLog().size();
    // (the layerName form references its image and tag: any media type of v1 would be served)
    List<String> refused = List.of(digestPath(unreferenced), httpBootPath(unreferenced),
        layerNamePath("v2", LayerMediaTypes.INITRAMFS));
    List<CompletableFuture<HttpResponse<byte[]>>> heads = IntStream.range(0, 100)
        .mapToObj(i -> http.sendAsync(service.bootPort(), "HEAD", ProxyClient.imagePath(image, randomDigest(i))))
        .toList();

    // Then every one is a 404 that says why, and the registry heard nothing of any of them
    for (String path : refused) {
      HttpResponse<byte[]> answer = http.get(service.bootPort(), path);
      assertThat(answer.statusCode()).as(path).isEqualTo(404);
      assertThat(new String(answer.body(), UTF_8)).isEqualTo(ImageProxyScope.NOT_REFERENCED);
    }
    assertThat(heads).allSatisfy(head -> assertThat(head.join().statusCode()).isEqualTo(404));
    assertThat(registry.accessLog()).hasSize(registryRequests);
    assertThat(Files.exists(cacheDir.resolve("sha256").resolve(hex(unreferenced)))).isFalse();
    // and each refusal's log line names what was asked for, and by whom
    assertThat(requestLog.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("image=" + image, "digest=" + unreferenced.digest(),
            "client=127.0.0.1 ", "status=404", ImageProxyScope.NOT_REFERENCED));
    assertThat(service.metricsText()).contains("image_proxy_unreferenced_requests_total{scope=\"referenced\"} 103.0")
        .contains("image_proxy_referenced_layers 3.0");
  }

  @Test
  void aNewConfigsLayersAreServedWithinASecondAndADeletedOnesAreNot() throws Exception {
    // Given a service with scope referenced and no config yet
    BootServiceUnderTest service = start("referenced");
    assertThat(status(service, "HEAD", digestPath(kernel))).isEqualTo(404);

    // When a config naming the kernel is created
    IPXEBootConfig config = kube.resource(Fixtures.ipxeConfig("machine-a", UUID_A,
        "http://boot.example:8082" + digestPath(kernel), null, null)).create();

    // Then it is served within a second
    await().atMost(WITHIN_A_SECOND).until(() -> status(service, "HEAD", digestPath(kernel)) == 200);

    // When the config is deleted, it is refused again, even now that it is cached
    kube.resource(config).delete();
    await().atMost(SYNC).until(() -> status(service, "GET", digestPath(kernel)) == 404);
  }

  @Test
  void theBlobUrlsOfACustomScriptAreReferencedAndFollowItsSecret() throws Exception {
    // Given a custom iPXE script naming the kernel literally and the initrd through an iPXE setting
    kube.resource(Fixtures.secret("script", Map.of("ipxe-script", "#!ipxe\n"
        + "kernel http://boot.example:8082" + digestPath(kernel) + " console=ttyS0\n"
        + "initrd ${base-url}" + digestPath(initrd) + "\nboot\n"))).create();
    IPXEBootConfig config = Fixtures.ipxeConfig("machine-a", UUID_A, null, null, null);
    config.getSpec().setIpxeScriptSecretRef(Fixtures.ref("script"));
    kube.resource(config).create();
    BootServiceUnderTest service = start("referenced");

    // Then the literal URL is served and the one the service cannot read is not
    await().atMost(WITHIN_A_SECOND).until(() -> status(service, "GET", digestPath(kernel)) == 200);
    assertThat(status(service, "GET", digestPath(initrd))).isEqualTo(404);

    // When the script changes to name only the initrd (quoted, in the /httpboot form)
    kube.resource(Fixtures.secret("script", Map.of("ipxe-script", "#!ipxe\n"
        + "chain \"http://boot.example:8082" + httpBootPath(initrd) + "\"\n"))).update();

    // Then the initrd is served and the kernel no longer
    await().atMost(WITHIN_A_SECOND).until(() -> status(service, "GET", httpBootPath(initrd)) == 200);
    assertThat(status(service, "GET", digestPath(kernel))).isEqualTo(404);
  }

  @Test
  void theDefaultUkisLayerIsReferencedAndNoOtherLayerOfItsImage() throws Exception {
    // Given the default UKI image set and no config at all
    BootServiceUnderTest service = start("referenced", Map.of("boot.default-httpboot-oci-image", image + ":v1",
        "boot.image-server-url", "http://boot.example:8083/httpboot"));

    // Then its UKI layer is served, another layer of the same image is not, and /httpboot names the served one
    assertThat(status(service, "GET", httpBootPath(uki))).isEqualTo(200);
    assertThat(status(service, "GET", httpBootPath(kernel))).isEqualTo(404);
    assertThat(service.get("/httpboot").body()).contains(hex(uki));
  }

  @Test
  void theDefaultUkiUrlIsReferenced() throws Exception {
    BootServiceUnderTest service = start("referenced",
        Map.of("boot.default-httpboot-uki-url", "http://boot.example:8083" + httpBootPath(uki)));

    assertThat(status(service, "GET", httpBootPath(uki))).isEqualTo(200);
    assertThat(status(service, "GET", httpBootPath(kernel))).isEqualTo(404);
  }

  @Test
  void auditServesEverythingLogsOncePerImageAndClientAndCounts() throws Exception {
    // Given the binary's default scope and a config naming the kernel
    kube.resource(Fixtures.ipxeConfig("machine-a", UUID_A, "http://boot.example:8082" + digestPath(kernel), null, null))
        .create();
    BootServiceUnderTest service = start(null);
    await().atMost(SYNC).until(() -> service.metricsText().contains("image_proxy_referenced_layers 1.0"));

    // When two clients fetch a layer no config names, one of them twice, and the referenced kernel
    assertThat(SourceBoundHttp.get("127.0.0.1", service.bootPort(), digestPath(unreferenced)).status()).isEqualTo(200);
    assertThat(SourceBoundHttp.get("127.0.0.1", service.bootPort(), digestPath(unreferenced)).status()).isEqualTo(200);
    assertThat(SourceBoundHttp.get("127.0.0.2", service.bootPort(), digestPath(unreferenced)).status()).isEqualTo(200);
    assertThat(SourceBoundHttp.get("127.0.0.2", service.bootPort(), digestPath(kernel)).status()).isEqualTo(200);

    // Then all are served; each unreferenced request is counted, and logged once per client
    assertThat(service.metricsText()).contains("image_proxy_unreferenced_requests_total{scope=\"audit\"} 3.0");
    assertThat(auditLog.list).extracting(ILoggingEvent::getFormattedMessage).hasSize(2)
        .allSatisfy(line -> assertThat(line).contains(hex(unreferenced)).contains("boot.image-proxy-scope=referenced"))
        .anySatisfy(line -> assertThat(line).contains("client=127.0.0.1 "))
        .anySatisfy(line -> assertThat(line).contains("client=127.0.0.2 "));
  }

  @Test
  void allowedRegistriesServesAsGoDoesAndNeitherLogsNorCounts() throws Exception {
    BootServiceUnderTest service = start("allowed-registries");

    assertThat(status(service, "GET", digestPath(unreferenced))).isEqualTo(200);
    assertThat(service.metricsText()).doesNotContain("image_proxy_unreferenced_requests_total")
        .doesNotContain("image_proxy_referenced_layers 1.0");
    assertThat(auditLog.list).isEmpty();
  }

  @Test
  void aHeadOfAnUnreferencedLayerIsAnsweredFromWhatIsKnownAndFillsNothing() throws Exception {
    // Given the audit scope and no config
    BootServiceUnderTest service = start(null);

    // When HEADs ask for a layer by /image (the manifest knows its size) and by /httpboot (the registry's head)
    HttpResponse<byte[]> byManifest = http.send(service.bootPort(), "HEAD", digestPath(unreferenced));
    HttpResponse<byte[]> ranged = http.send(service.bootPort(), "HEAD", digestPath(unreferenced), "Range", "bytes=0-9");
    HttpResponse<byte[]> byRegistry = http.send(service.bootPort(), "HEAD", httpBootPath(unreferenced));
    HttpResponse<byte[]> notInImage = http.send(service.bootPort(), "HEAD", ProxyClient.imagePath(image, randomDigest(1)));

    // Then each has the layer's size, a range its part, a digest the image does not have a 404,
    // and nothing was downloaded into the cache
    assertThat(byManifest.statusCode()).isEqualTo(200);
    assertThat(byManifest.headers().firstValue("Content-Length")).hasValue(String.valueOf(unreferenced.size()));
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(ranged.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + unreferenced.size());
    assertThat(byRegistry.statusCode()).isEqualTo(200);
    assertThat(byRegistry.headers().firstValue("Content-Length")).hasValue(String.valueOf(unreferenced.size()));
    assertThat(byRegistry.headers().firstValue("Content-Type")).hasValue("application/efi");
    assertThat(notInImage.statusCode()).isEqualTo(404);
    Thread.sleep(300); // a cache fill, had one started, would have written its file by now
    assertThat(cacheDir.resolve("sha256").resolve(hex(unreferenced))).doesNotExist();
    assertThat(service.metricsText()).contains("blob_cache_lookups_total{result=\"miss\"} 0.0");
  }

  @Test
  void aHeadOfACachedLayerAsksNoRegistryAndOneOfAReferencedLayerStartsItsCacheFill() throws Exception {
    // Given a config naming the kernel, and the initrd already cached by a GET
    kube.resource(Fixtures.ipxeConfig("machine-a", UUID_A, "http://boot.example:8082" + digestPath(kernel), null, null))
        .create();
    BootServiceUnderTest service = start("referenced", Map.of("boot.image-prefetch", "false"));
    kube.resource(Fixtures.ipxeConfig("machine-b", UUID_B, "http://boot.example:8082" + digestPath(initrd), null, null))
        .create();
    await().atMost(SYNC).until(() -> status(service, "GET", digestPath(initrd)) == 200);
    int registryRequests = registry.accessLog().size();

    // When the cached initrd is asked for with HEAD
    HttpResponse<byte[]> cached = http.send(service.bootPort(), "HEAD", digestPath(initrd));

    // Then it is answered and the registry heard nothing
    assertThat(cached.statusCode()).isEqualTo(200);
    assertThat(cached.headers().firstValue("Content-Length")).hasValue(String.valueOf(initrd.size()));
    assertThat(registry.accessLog()).hasSize(registryRequests);

    // When the referenced, uncached kernel is asked for with HEAD, its cache fill starts (a GET follows)
    await().atMost(SYNC).until(() -> status(service, "HEAD", digestPath(kernel)) == 200);
    await().atMost(SYNC).until(() -> Files.exists(cacheDir.resolve("sha256").resolve(hex(kernel))));
  }

  private BootServiceUnderTest start(String scope) throws Exception {
    return start(scope, Map.of());
  }

  private BootServiceUnderTest start(String scope, Map<String, String> more) throws Exception {
    Map<String, String> properties = new HashMap<>(more);
    properties.put("boot.allowed-registries", registry.host());
    properties.put("boot.blob-cache-dir", cacheDir.toString());
    if (scope != null) {
      properties.put("boot.image-proxy-scope", scope);
    }
    BootServiceUnderTest service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()),
        properties);
    closing.add(service);
    return service;
  }

  private int status(BootServiceUnderTest service, String method, String path) throws Exception {
    return http.send(service.bootPort(), method, path).statusCode();
  }

  private static String digestPath(Descriptor layer) {
    return ProxyClient.imagePath(image, layer.digest());
  }

  private static String layerNamePath(String version, String mediaType) {
    return "/image?imageName=" + image + "&version=" + version + "&layerName=" + mediaType;
  }

  /** As real iPXE asks for it: the registry's port colon percent-encoded. */
  private static String httpBootPath(Descriptor layer) {
    return "/httpboot/" + image.replace(":", "%3A") + "/sha256-" + hex(layer) + ".efi";
  }

  private static String hex(Descriptor layer) {
    return layer.digest().substring("sha256:".length());
  }

  private static String randomDigest(int seed) {
    return "sha256:" + HexFormat.of().formatHex(ProxyClient.randomBytes(32, 1000 + seed));
  }
}
