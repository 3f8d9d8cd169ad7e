package dev.ironcore.boot.tls;

import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.TestCertificates.KeyForm;
import dev.ironcore.boot.testing.TestCertificates.Leaf;
import dev.ironcore.boot.testing.TestCertificates;
import dev.ironcore.boot.testing.TlsClient.CurlResult;
import dev.ironcore.boot.testing.TlsClient.KeepAliveConnection;
import dev.ironcore.boot.testing.TlsClient.RawResponse;
import dev.ironcore.boot.testing.TlsClient;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot endpoints and the image proxy over real HTTPS on loopback: a certificate chain (leaf and
 * intermediate) in a directory laid out as a Kubernetes Secret volume, replaced the way the kubelet
 * replaces it (a new {@code ..data} link), checked with Java's client and {@code curl --cacert}.
 */
class HttpsEndpointsTest {
  private static final String UUID = "7c1b2c3d-0000-4000-8000-0000000000a1";
  private static final String REPO = "ironcore/tls";
  private static final String IGNITION_JSON = "{\"ignition\":{\"version\":\"3.3.0\"}}";
  private static final Pattern RELOADS = Pattern.compile("boot_tls_reloads_total\\{result=\"(\\w+)\",server=\"boot\"} (\\d+)");

  @TempDir static Path dir;
  private static TestRegistry registry;
  private static MockCluster cluster;
  private static TestCertificates ca;
  private static TlsClient tls;
  private static BootServiceUnderTest service;
  private static Path secretVolume;
  private static int tlsPort;
  private static int versions;
  private static byte[] kernel;
  private static Descriptor kernelLayer;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("registry"));
    registry = TestRegistry.anonymous(dir.resolve("registry"));
    kernel = new byte[256 * 1024 + 3];
    new Random(7).nextBytes(kernel);
    ImagePusher pusher = new ImagePusher(registry);
    kernelLayer = pusher.layer(REPO, LayerMediaTypes.KERNEL, kernel);
    pusher.image(REPO, "v1", List.of(kernelLayer));
    cluster = new MockCluster();
    try (KubernetesClient client = cluster.newClient()) {
      client.resource(secret("ignition", Map.of("ignition", IGNITION_JSON))).create();
      IPXEBootConfig config = ipxeConfig("machine", UUID, "http://k/kernel", "http://k/initrd", null);
      config.getSpec().setIgnitionSecretRef(ref("ignition"));
      client.resource(config).create();
    }
    Files.createDirectories(dir.resolve("ca"));
    ca = TestCertificates.authority(dir.resolve("ca"));
    tls = new TlsClient(ca.root());
    secretVolume = Files.createDirectories(dir.resolve("secret-volume"));
    mountAsSecret(ca.leaf(KeyForm.RSA_PKCS1));
    tlsPort = AvailablePortFinder.getNextAvailable();
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.tls-cert-file", secretVolume.resolve("tls.crt").toString(),
        "boot.tls-key-file", secretVolume.resolve("tls.key").toString(),
        "boot.boot-server-tls-address", "127.0.0.1:" + tlsPort,
        "boot.tls-reload-period", "200ms",
        "boot.ipxe-service-url", "https://boot.example:" + tlsPort,
        "boot.allowed-registries", registry.host()));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    cluster.close();
    registry.close();
  }

  @Test
  void theHttpsPortCapsRequestHeadsAsThePlainPortsDo() throws Exception {
    // When a kept-alive HTTPS connection sends headers past boot.http-max-header-size (16 KiB)
    try (KeepAliveConnection connection = tls.connect(tlsPort)) {
      RawResponse answer = connection.get("/ipxe/" + UUID, "X-Big: " + "b".repeat(17_000));

      // Then it gets a 431 with the reason, counted for the https server
      assertThat(answer.status()).isEqualTo(431);
      assertThat(answer.body()).startsWith("Request Header Fields Too Large: the headers are larger than 16384 bytes");
    }
    assertThat(service.metricsText())
        .contains("boot_http_requests_refused_total{reason=\"headers-too-large\",server=\"https\"} 1.0");
  }

  @Test
  void javasClientTrustingTheRootGetsScriptIgnitionAndImageOverHttps() throws Exception {
    // When Java's client, trusting only the root, asks the HTTPS port (the chain carries the intermediate)
    double sendfileBefore = service.metric("blob_cache_sent_bytes_total", "sendfile");
    HttpResponse<byte[]> script = tls.get(tlsPort, "/ipxe/" + UUID);
    HttpResponse<byte[]> ignition = tls.get(tlsPort, "/ignition/" + UUID);
    HttpResponse<byte[]> blob = tls.get(tlsPort, imagePath());

    // Then each answer is the one plain HTTP gives, with the https service URL rendered into the script
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(new String(script.body(), UTF_8)).contains("set ipxe-svc https://boot.example:" + tlsPort + "\n")
        .isEqualTo(service.get("/ipxe/" + UUID).body());
    assertThat(ignition.statusCode()).isEqualTo(200);
    assertThat(new String(ignition.body(), UTF_8)).isEqualTo(IGNITION_JSON);
    assertThat(blob.statusCode()).isEqualTo(200);
    assertThat(blob.headers().firstValue("Content-Length")).hasValue(String.valueOf(kernel.length));
    assertThat(blob.body()).isEqualTo(kernel);
    // (TLS encrypts in the JVM: the blob's bytes were read, never sent by sendfile around the encryption)
    assertThat(service.metric("blob_cache_sent_bytes_total", "sendfile")).isEqualTo(sendfileBefore);
  }

  @Test
  void curlWithTheRootAsCaCertGetsTheSameAnswers() throws Exception {
    CurlResult script = tls.curl(tlsPort, "/ipxe/" + UUID, dir.resolve("curl-script"));
    CurlResult ignition = tls.curl(tlsPort, "/ignition/" + UUID, dir.resolve("curl-ignition"));
    CurlResult blob = tls.curl(tlsPort, imagePath(), dir.resolve("curl-blob"));

    assertThat(script.output()).isEqualTo("200");
    assertThat(new String(script.body(), UTF_8)).startsWith("#!ipxe\n");
    assertThat(ignition.output()).isEqualTo("200");
    assertThat(new String(ignition.body(), UTF_8)).isEqualTo(IGNITION_JSON);
    assertThat(blob.output()).isEqualTo("200");
    assertThat(blob.body()).isEqualTo(kernel);
  }

  @Test
  void aClientSpeakingOnlyWhatIpxeSpeaksCompletesTheHandshake() throws Exception {
    // Given an RSA certificate (another test may have left an ECDSA one in service)
    Leaf rsa = ca.leaf(KeyForm.RSA_PKCS1);
    mountAsSecret(rsa);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(tls.servedCertificate(tlsPort).getSubjectX500Principal().getName()).isEqualTo("CN=" + rsa.commonName()));

    // iPXE: TLS 1.2 at most, RSA certificates, ECDHE over X25519 with AES-GCM, or (older builds) RSA key exchange
    for (String cipher : List.of("ECDHE-RSA-AES128-GCM-SHA256", "AES256-SHA256")) {
      Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort, "-tls1_2",
          "-cipher", cipher, "-curves", "X25519", "-CAfile", ca.root().toString(), "-verify_return_error", "-brief")
          .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String output = new String(client.getInputStream().readAllBytes(), UTF_8);
      assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();

      assertThat(output).as(cipher).contains("Protocol version: TLSv1.2", "Ciphersuite: " + cipher,
          "Verification: OK");
    }
  }

  @Test
  void anH2cUpgradeInsideTlsIsAnsweredWithHttp11() throws Exception {
    try (KeepAliveConnection connection = tls.connect(tlsPort)) {
      RawResponse response = connection.get("/ipxe/" + UUID, "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c",
          "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).startsWith("#!ipxe\n");
    }
  }

  @Test
  void plainHttpStaysOnByDefault() throws Exception {
    assertThat(service.get("/ipxe/" + UUID).statusCode()).isEqualTo(200);
    assertThat(service.send(service.imagePort(), "GET", "/ignition/" + UUID).body()).isEqualTo(IGNITION_JSON);
  }

  @Test
  void aReplacedCertificateReachesNewConnectionsWhileAnOpenOneKeepsWorking() throws Exception {
    // Given a connection opened before the replacement
    try (KeepAliveConnection before = tls.connect(tlsPort)) {
      String served = commonName(before.peerCertificate().getSubjectX500Principal().getName());
      assertThat(before.get("/ipxe/" + UUID).status()).isEqualTo(200);
      long reloads = reloads("success");

      // When the Secret volume is swapped to a new pair (ECDSA this time) while new connections keep coming
      Leaf next = ca.leaf(KeyForm.EC_SEC1);
      CompletableFuture<Integer> connectionsUntilServed = CompletableFuture.supplyAsync(() -> connectUntilServed(next));
      mountAsSecret(next);

      // Then new connections get it within a few seconds, none of them dropped meanwhile, and it is counted
      assertThat(connectionsUntilServed.get(15, TimeUnit.SECONDS)).isPositive();
      assertThat(tls.get(tlsPort, "/ignition/" + UUID).statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> reloads("success") == reloads + 1);
      // And the connection opened before still answers, on its first certificate
      assertThat(before.get("/ipxe/" + UUID).status()).isEqualTo(200);
      assertThat(commonName(before.peerCertificate().getSubjectX500Principal().getName())).isEqualTo(served);
    }
  }

  @Test
  void aBadReplacementKeepsTheCurrentCertificateAndIsCounted() throws Exception {
    // Given the pair being served
    String served = tls.servedCertificate(tlsPort).getSubjectX500Principal().getName();
    long failures = reloads("failure");

    // When the volume gets a certificate with another certificate's key
    Leaf one = ca.leaf(KeyForm.RSA_PKCS8);
    Leaf other = ca.leaf(KeyForm.RSA_PKCS8);
    mountAsSecret(new Leaf(one.certificateChain(), other.key(), one.commonName()));

    // Then the refusal is counted, once, and the old certificate is still served
    await().atMost(Duration.ofSeconds(10)).until(() -> reloads("failure") == failures + 1);
    Thread.sleep(600);
    assertThat(reloads("failure")).isEqualTo(failures + 1);
    assertThat(tls.servedCertificate(tlsPort).getSubjectX500Principal().getName()).isEqualTo(served);
    assertThat(tls.get(tlsPort, "/ipxe/" + UUID).statusCode()).isEqualTo(200);

    // And a good pair after it is taken
    mountAsSecret(one);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(tls.servedCertificate(tlsPort).getSubjectX500Principal().getName()).isEqualTo("CN=" + one.commonName()));
  }

  /** Opens connections one after another until one is served {@code leaf}; any failed handshake fails the test. */
  private static int connectUntilServed(Leaf leaf) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int connections = 0;
    try {
      while (System.nanoTime() < deadline) {
        connections++;
        if (tls.servedCertificate(tlsPort).getSubjectX500Principal().getName().equals("CN=" + leaf.commonName())) {
          return connections;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("connection " + connections + " failed during the reload", e);
    }
    throw new AssertionError(leaf.commonName() + " not served within 10 s over " + connections + " connections");
  }

  /** As the kubelet updates a Secret volume: a new timestamped directory, then one atomic rename of {@code ..data}. */
  private static void mountAsSecret(Leaf leaf) throws Exception {
    Path version = Files.createDirectory(secretVolume.resolve("..version-" + ++versions));
    Files.copy(leaf.certificateChain(), version.resolve("tls.crt"));
    Files.copy(leaf.key(), version.resolve("tls.key"));
    Path link = secretVolume.resolve("..data_tmp");
    Files.createSymbolicLink(link, version.getFileName());
    Files.move(link, secretVolume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    for (String file : List.of("tls.crt", "tls.key")) {
      if (!Files.isSymbolicLink(secretVolume.resolve(file))) {
        Files.createSymbolicLink(secretVolume.resolve(file), Path.of("..data", file));
      }
    }
  }

  private static long reloads(String result) throws Exception {
    Matcher metric = RELOADS.matcher(service.metricsText());
    while (metric.find()) {
      if (metric.group(1).equals(result)) {
        return Long.parseLong(metric.group(2));
      }
    }
    return 0;
  }

  private static String commonName(String subject) {
    return subject.substring(subject.indexOf("CN=") + 3);
  }

  private static String imagePath() {
    return "/image?imageName=" + registry.host() + "/" + REPO + "&version=v1&layerDigest=" + kernelLayer.digest();
  }
}
