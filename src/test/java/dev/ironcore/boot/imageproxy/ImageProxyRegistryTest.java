package dev.ironcore.boot.imageproxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.oci.RegistryAllowList;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.IpxeClient;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob endpoints over real HTTP, against a real docker-registry: bytes, headers, ranges, single flight. */
class ImageProxyRegistryTest {
  private static final String REPO = "ironcore/gardenlinux";

  @TempDir static Path dir;
  private static TestRegistry registry;
  private static MockCluster cluster;
  private static BootServiceUnderTest service;
  private static ProxyClient client;
  private static Path cacheDir;
  private static byte[] kernel;
  private static byte[] initrd;
  private static byte[] uki;
  private static Descriptor kernelLayer;
  private static Descriptor ukiLayer;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("registry"));
    registry = TestRegistry.anonymous(dir.resolve("registry"));
    ImagePusher pusher = new ImagePusher(registry);
    kernel = ProxyClient.randomBytes(3 * 1024 * 1024 + 17, 1);
    initrd = ProxyClient.randomBytes(512 * 1024, 2);
    uki = ProxyClient.randomBytes(1024 * 1024, 3);
    kernelLayer = pusher.layer(REPO, LayerMediaTypes.KERNEL, kernel);
    Descriptor initrdLayer = pusher.layer(REPO, LayerMediaTypes.INITRAMFS, initrd);
    ukiLayer = pusher.layer(REPO, LayerMediaTypes.UKI, uki);
    pusher.image(REPO, "v1", List.of(kernelLayer, initrdLayer, ukiLayer));
    cluster = new MockCluster();
    cacheDir = dir.resolve("cache");
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.allowed-registries", registry.host(),
        "boot.allowed-repositories", registry.host() + "/ironcore/*",
        "boot.blob-cache-dir", cacheDir.toString(),
        "boot.default-httpboot-uki-url", "http://images.example/default.efi",
        "boot.max-downloads-per-client", "64")); // the concurrent machines below all ask from 127.0.0.1
    client = new ProxyClient();
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    cluster.close();
    registry.close();
  }

  private static String image() {
    return registry.host() + "/" + REPO;
  }

  private static String byDigest(Descriptor layer) {
    return ProxyClient.imagePath(image(), layer.digest());
  }

  @Test
  void eachFormAnswersTheLayersVerifiedBytesWithItsLengthAndType() throws Exception {
    // When each request form names a layer, on the boot port and on the image port
    HttpResponse<byte[]> digestForm = client.get(service.bootPort(), byDigest(kernelLayer));
    HttpResponse<byte[]> onImagePort = client.get(service.imagePort(), byDigest(kernelLayer));
    HttpResponse<byte[]> httpBoot = client.get(service.bootPort(),
        "/httpboot/" + image() + "/sha256-" + ukiLayer.digest().substring(7) + ".efi");
    HttpResponse<byte[]> byName = client.get(service.bootPort(),
        "/image?imageName=" + image() + "&version=v1&layerName=initramfs");
    HttpResponse<byte[]> ukiByName = client.get(service.bootPort(),
        "/image?imageName=" + image() + ".efi&version=v1&layerName=" + LayerMediaTypes.UKI);

    // Then every answer is exactly the layer, with its length, and EFI typed where firmware needs it
    ProxyClient.assertBlob(digestForm, kernel, "application/octet-stream");
    ProxyClient.assertBlob(onImagePort, kernel, "application/octet-stream");
    ProxyClient.assertBlob(httpBoot, uki, "application/efi");
    ProxyClient.assertBlob(byName, initrd, "application/octet-stream");
    ProxyClient.assertBlob(ukiByName, uki, "application/efi");
    assertThat(digestForm.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(digestForm.headers().firstValue("Transfer-Encoding")).isEmpty();
  }

  @Test
  void aUkiPathAsIpxeEncodesARegistryPortIsServed() throws Exception {
    // Given the UKI URL of a registry with a port, as real iPXE sends it: ':' percent-encoded
    String path = "/httpboot/" + image().replace(":", "%3A") + "/sha256-" + ukiLayer.digest().substring(7) + ".efi";
    assertThat(path).contains("127.0.0.1%3A");

    // When iPXE asks for it
    IpxeClient.Answer answer = IpxeClient.get(service.bootPort(), path);

    // Then it gets the verified UKI, as from the Go operator
    assertThat(answer.status()).as(answer.head()).isEqualTo(200);
    assertThat(answer.head()).containsIgnoringCase("Content-Type: application/efi");
    assertThat(answer.body()).isEqualTo(uki);
  }

  @Test
  void encodedSlashesDoubleEncodingAndBadEscapesInAUkiPathAreRefusedWithoutAskingTheRegistry() throws Exception {
    int logged = registry.accessLog().size();
    String file = "/sha256-" + ukiLayer.digest().substring(7) + ".efi";
    String host = registry.host().replace(":", "%3A");

    assertRaw("/httpboot/" + host + "%2Fironcore%2Fgardenlinux" + file, 404, "Not Found: percent-encoded '/'");
    assertRaw("/httpboot/" + host + "/ironcore/%2E%2E/gardenlinux" + file, 404, "Not Found: malformed image name");
    assertRaw("/httpboot/" + registry.host().replace(":", "%253A") + "/" + REPO + file, 404, "Not Found: malformed image name");
    assertRaw("/httpboot/" + host + "/ironcore%zz/gardenlinux" + file, 400, "Bad Request: malformed percent-encoding");
    assertRaw("/httpboot/" + host + "/ironcore%0D%0AX:1/gardenlinux" + file, 400, "Bad Request: control character");
    assertRaw("/httpboot/" + host + "/" + "a".repeat(3000) + file, 414, "URI Too Long");

    assertThat(registry.accessLog()).hasSize(logged);
  }

  private static void assertRaw(String path, int status, String reason) throws Exception {
    IpxeClient.Answer answer = IpxeClient.get(service.bootPort(), path);
    assertThat(answer.status()).as(path).isEqualTo(status);
    assertThat(answer.text()).as(path).startsWith(reason);
  }

  @Test
  void headAnswersTheSameHeadersWithoutABody() throws Exception {
    HttpResponse<byte[]> head = client.send(service.bootPort(), "HEAD",
        "/httpboot/" + image() + "/sha256-" + ukiLayer.digest().substring(7) + ".efi");

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(uki.length));
    assertThat(head.headers().firstValue("Content-Type")).hasValue("application/efi");
    assertThat(head.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aSingleRangeIs206AndOnePastTheEndIs416() throws Exception {
    HttpResponse<byte[]> range = client.get(service.bootPort(), byDigest(kernelLayer), "Range", "bytes=10-19");
    HttpResponse<byte[]> suffix = client.get(service.bootPort(), byDigest(kernelLayer), "Range", "bytes=-5");
    HttpResponse<byte[]> past = client.get(service.bootPort(), byDigest(kernelLayer), "Range", "bytes=999999999-");

    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(kernel, 10, 20));
    assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 10-19/" + kernel.length);
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(kernel, kernel.length - 5, kernel.length));
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + kernel.length);
    assertThat(past.body()).isEmpty();
  }

  @Test
  void badRequestsAreRefusedWithoutAskingTheRegistry() throws Exception {
    // Given the registry's log so far
    int logged = registry.accessLog().size();

    // Then each bad request gets its status and one-line reason
    assertRefused("/image?imageName=" + image() + "&version=v1", 404, "Not Found: missing layerDigest");
    assertRefused("/image?imageName=" + image() + "&version=v1&layerDigest=sha256:ABC", 404, "Not Found: malformed layer digest");
    assertRefused("/image?imageName=" + registry.host() + "/Upper/Case&version=v1&layerDigest=" + kernelLayer.digest(),
        404, "Not Found: malformed image reference");
    assertRefused("/httpboot/" + registry.host() + "%2F..%2Fx/sha256-" + ukiLayer.digest().substring(7) + ".efi",
        404, "Not Found: percent-encoded");
    assertRefused("/httpboot/" + registry.host() + "/../v2/sha256-" + ukiLayer.digest().substring(7) + ".efi",
        404, "Not Found: malformed image name");
    assertRefused("/image?imageName=ghcr.io/ironcore/x&version=v1&layerDigest=" + kernelLayer.digest(),
        403, "Forbidden: Registry not allowed");
    // an allowed registry's repository outside boot.allowed-repositories, even one that holds the blob
    new ImagePusher(registry).layer("elsewhere/payload", LayerMediaTypes.KERNEL, kernel);
    logged = registry.accessLog().size();
    assertRefused(ProxyClient.imagePath(registry.host() + "/elsewhere/payload", kernelLayer.digest()),
        403, "Forbidden: " + RegistryAllowList.REPOSITORY_NOT_ALLOWED);
    assertRefused("/httpboot/" + registry.host() + "/elsewhere/payload/sha256-" + kernelLayer.digest().substring(7)
        + ".efi", 403, "Forbidden: " + RegistryAllowList.REPOSITORY_NOT_ALLOWED);

    // And none of them reached the registry
    assertThat(registry.accessLog()).hasSize(logged);
  }

  @Test
  void theHttpBootJsonRouteStillAnswersItsOwnPath() throws Exception {
    HttpResponse<byte[]> json = client.get(service.bootPort(), "/httpboot", "X-Forwarded-For", "10.0.0.1");

    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(new String(json.body(), UTF_8)).contains("http://images.example/default.efi");
  }

  @Test
  void aBlobTheRegistryDoesNotHaveIs404() throws Exception {
    String missing = "sha256:" + "0".repeat(64);
    assertRefused(ProxyClient.imagePath(image(), missing), 404, "Not Found: blob");
  }

  @Test
  void concurrentRequestsShareOneUpstreamFetchAndAHitAsksTheRegistryNothing() throws Exception {
    // Given a layer nobody asked for yet
    byte[] bytes = ProxyClient.randomBytes(4 * 1024 * 1024, 4);
    Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.SQUASHFS, bytes);

    double readFromFileBefore = service.metric("blob_cache_sent_bytes_total", "file-reads");

    // When 20 machines ask at once
    List<CompletableFuture<HttpResponse<byte[]>>> answers = IntStream.range(0, 20)
        .mapToObj(i -> client.getAsync(service.bootPort(), byDigest(layer))).toList();

    // Then all got the verified bytes from one upstream fetch
    for (CompletableFuture<HttpResponse<byte[]>> answer : answers) {
      ProxyClient.assertBlob(answer.join(), bytes, "application/octet-stream");
    }
    ProxyClient.awaitBlobGets(registry, REPO, layer.digest(), 1);

    // And a later request is a cache hit that asks the registry nothing at all, sent whole by sendfile
    int logged = registry.accessLog().size();
    double sendfileBefore = service.metric("blob_cache_sent_bytes_total", "sendfile");
    ProxyClient.assertBlob(client.get(service.imagePort(), byDigest(layer)), bytes, "application/octet-stream");
    assertThat(registry.accessLog()).hasSize(logged);
    assertThat(cacheDir.resolve("sha256").resolve(layer.digest().substring(7))).exists();
    assertThat(service.metric("blob_cache_sent_bytes_total", "sendfile")).isEqualTo(sendfileBefore + bytes.length);
    // (plain HTTP: no byte was read from the file into the JVM, on the hit or by the readers behind the download)
    assertThat(service.metric("blob_cache_sent_bytes_total", "file-reads")).isEqualTo(readFromFileBefore);
  }

  private static void assertRefused(String path, int status, String reason) throws Exception {
    HttpResponse<byte[]> answer = client.get(service.bootPort(), path);
    assertThat(answer.statusCode()).as(path).isEqualTo(status);
    assertThat(new String(answer.body(), UTF_8)).as(path).startsWith(reason);
  }
}
