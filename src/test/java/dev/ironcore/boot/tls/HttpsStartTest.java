package dev.ironcore.boot.tls;

import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.TestCertificates;
import dev.ironcore.boot.testing.TestCertificates.KeyForm;
import dev.ironcore.boot.testing.TestCertificates.Leaf;
import dev.ironcore.boot.testing.TlsClient;
import dev.ironcore.boot.testing.TlsClient.CurlResult;
import dev.ironcore.boot.testing.TlsClient.KeepAliveConnection;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting with TLS: an ECDSA pair, a pair that does not match, and HTTPS only ({@code boot.plain-http=false}). */
class HttpsStartTest {
  private static final String UUID = "7c1b2c3d-0000-4000-8000-0000000000b2";
  private static final String IGNITION_JSON = "{\"ignition\":{\"version\":\"3.3.0\"}}";

  @TempDir static Path dir;
  private static MockCluster cluster;
  private static TestCertificates ca;
  private static TlsClient tls;

  @BeforeAll
  static void start() throws Exception {
    cluster = new MockCluster();
    try (KubernetesClient client = cluster.newClient()) {
      client.resource(secret("ignition", Map.of("ignition", IGNITION_JSON))).create();
      IPXEBootConfig config = ipxeConfig("machine", UUID, "http://k/kernel", "http://k/initrd", null);
      config.getSpec().setIgnitionSecretRef(ref("ignition"));
      client.resource(config).create();
    }
    ca = TestCertificates.authority(dir);
    tls = new TlsClient(ca.root());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** The TLS settings of a new leaf with a key of {@code form}, served on {@code tlsPort}. */
  private static Map<String, String> withNewLeaf(KeyForm form, int tlsPort) throws Exception {
    Leaf leaf = ca.leaf(form);
    return withPair(leaf.certificateChain(), leaf.key(), tlsPort);
  }

  private static Map<String, String> withPair(Path certificate, Path key, int tlsPort) {
    Map<String, String> properties = new HashMap<>();
    properties.put("boot.tls-cert-file", certificate.toString());
    properties.put("boot.tls-key-file", key.toString());
    properties.put("boot.boot-server-tls-address", "127.0.0.1:" + tlsPort);
    return properties;
  }

  @Test
  void servesAnEcdsaCertificateWithASec1Key() throws Exception {
    int tlsPort = AvailablePortFinder.getNextAvailable();
    try (BootServiceUnderTest service = BootServiceUnderTest.startSynced(
        ClusterConnection.external(cluster.newClient()), withNewLeaf(KeyForm.EC_SEC1, tlsPort))) {
      CurlResult curl = tls.curl(tlsPort, "/ipxe/" + UUID, dir.resolve("ecdsa-script"));

      assertThat(curl.output()).isEqualTo("200");
      assertThat(new String(curl.body(), UTF_8)).startsWith("#!ipxe\n");
      assertThat(tls.get(tlsPort, "/ipxe/" + UUID).statusCode()).isEqualTo(200);
      assertThat(tls.servedCertificate(tlsPort).getPublicKey().getAlgorithm()).isEqualTo("EC");
    }
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificateRefusesStartNamingTheFiles() throws Exception {
    Leaf one = ca.leaf(KeyForm.RSA_PKCS1);
    Leaf other = ca.leaf(KeyForm.RSA_PKCS1);
    int tlsPort = AvailablePortFinder.getNextAvailable();

    assertThatThrownBy(() -> BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
        withPair(one.certificateChain(), other.key(), tlsPort)))
        .isInstanceOf(InvalidCredentialsException.class)
        .hasMessageContaining(one.certificateChain().toString())
        .hasMessageContaining(other.key().toString())
        .hasMessageContaining("does not match");
    assertRefused(tlsPort);
  }

  @Test
  void plainHttpOffLeavesNoPlainListenerOnTheBootAndImagePorts() throws Exception {
    int tlsPort = AvailablePortFinder.getNextAvailable();
    Map<String, String> properties = withNewLeaf(KeyForm.RSA_PKCS1, tlsPort);
    properties.put("boot.plain-http", "false");
    try (BootServiceUnderTest service = BootServiceUnderTest.startSynced(
        ClusterConnection.external(cluster.newClient()), properties)) {
      // Then the boot endpoints answer over HTTPS only: routes on the event loop and on worker threads alike
      assertThat(tls.get(tlsPort, "/ipxe/" + UUID).statusCode()).isEqualTo(200);
      assertThat(new String(tls.get(tlsPort, "/ignition/" + UUID).body(), UTF_8)).isEqualTo(IGNITION_JSON);
      assertRefused(service.bootPort());
      assertRefused(service.imagePort());
      // And Camel's own server, bound to an ephemeral loopback port while the routes started, is closed
      int camelPort = VertxPlatformHttpRouter.lookup(service.app().camelContext(),
          VertxPlatformHttpRouter.getRouterNameFromPort(0)).getServer().getServer().actualPort();
      assertThat(camelPort).isPositive().isNotEqualTo(service.bootPort());
      assertRefused(camelPort);
      // And the management port stays plain HTTP
      assertThat(service.send(service.healthPort(), "GET", "/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void onShutdownAnHttpsConnectionEndsAfterItsAnswer() throws Exception {
    int tlsPort = AvailablePortFinder.getNextAvailable();
    Map<String, String> properties = withNewLeaf(KeyForm.EC_PKCS8, tlsPort);
    properties.put("boot.shutdown-delay", "3s");
    properties.put("boot.shutdown-timeout", "10s");
    try (BootServiceUnderTest service = BootServiceUnderTest.startSynced(
        ClusterConnection.external(cluster.newClient()), properties);
        KeepAliveConnection kept = tls.connect(tlsPort)) {
      // Given an HTTPS connection kept alive after an answer
      assertThat(kept.get("/ipxe/" + UUID).status()).isEqualTo(200);

      // When the service begins to stop
      CompletableFuture<Void> drained = CompletableFuture.runAsync(service.app()::drain);

      // Then that connection is closed (at once, or after one more answer if a request beat the close)
      await().atMost(Duration.ofSeconds(5)).until(() -> closedBy(kept));
      // And a new one during the delay gets its answer, and is then closed
      try (KeepAliveConnection late = tls.connect(tlsPort)) {
        assertThat(late.get("/ipxe/" + UUID).status()).isEqualTo(200);
        assertThat(closedBy(late)).isTrue();
      }
      assertThat(drained).isNotDone();
      drained.get(30, TimeUnit.SECONDS);
    }
  }

  /** Whether the server has closed {@code connection}: a request on it gets no answer. */
  private static boolean closedBy(KeepAliveConnection connection) {
    try {
      connection.get("/ipxe/" + UUID);
      return false;
    } catch (IOException closed) {
      return true;
    }
  }

  private static void assertRefused(int port) {
    assertThatThrownBy(() -> {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
      }
    }).as("port %d", port).isInstanceOf(ConnectException.class);
  }
}
