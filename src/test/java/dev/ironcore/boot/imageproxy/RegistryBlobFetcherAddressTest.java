package dev.ironcore.boot.imageproxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ironcore.boot.oci.HostResolver;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.oci.RegistryConnection;
import dev.ironcore.boot.oci.RegistryException;
import dev.ironcore.boot.oci.RegistrySettings;
import dev.ironcore.boot.testing.ConnectionTrap;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blob path's own connections: to the address that was checked, never to a second answer of the
 * resolver, with TLS still verifying the name; and no https → http hop. Names resolve through a
 * resolver the test controls, to loopback addresses only.
 */
@Timeout(value = 30, unit = SECONDS)
class RegistryBlobFetcherAddressTest {
  private static final String PASSWORD = "changeit";
  private static final String BLOB_PATH = "/v2/ironcore/os/blobs/sha256:" + "6".repeat(64);

  @TempDir static Path dir;
  private static Vertx vertx;
  private static WorkerExecutor connecting;
  private static SSLContext serverTls;
  private static SSLContext clientTls;

  @BeforeAll
  static void start() throws Exception {
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=registry.test",
        "-ext", "SAN=dns:registry.test", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", dir.resolve("registry.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(30, SECONDS) && keytool.exitValue() == 0)
        .as("keytool: %s", new String(keytool.getInputStream().readAllBytes(), US_ASCII)).isTrue();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("registry.p12"))) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD.toCharArray());
    serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keyManagers.getKeyManagers(), null, null);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("registry", keys.getCertificate("registry"));
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, trustManagers.getTrustManagers(), null);
    vertx = Vertx.vertx();
    connecting = vertx.createSharedWorkerExecutor("registry-connect-test", 2);
  }

  @AfterAll
  static void stop() {
    connecting.close();
    vertx.close();
  }

  @Test
  void aNameThatResolvesDifferentlyTheSecondTimeIsReachedAtTheFirstCheckedAddress() throws Exception {
    // Given registry.test that resolves to 127.0.0.2 the first time and to 127.0.0.3 after, with a
    // registry on 127.0.0.2 and a listener on 127.0.0.3 that counts what reaches it, on the same port
    List<String> hostHeaders = new CopyOnWriteArrayList<>();
    HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
    registry.createContext("/", exchange -> {
      try (exchange) {
        hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
        byte[] body = "blob".getBytes(US_ASCII);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    registry.start();
    int port = registry.getAddress().getPort();
    try (ConnectionTrap second = new ConnectionTrap(InetAddress.getByName("127.0.0.3"), port)) {
      AtomicInteger lookups = new AtomicInteger();
      HostResolver rebinding = host -> List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.2" : "127.0.0.3"));
      RegistryBlobFetcher fetcher = fetcher(List.of("registry.test:" + port), rebinding);

      // When the blob is fetched
      try (RegistryConnection connection = fetcher.get(URI.create("http://registry.test:" + port + BLOB_PATH), Map.of())) {
        // Then it came from 127.0.0.2, asked for by name, after one lookup; nothing reached 127.0.0.3
        assertThat(connection.status()).isEqualTo(200);
        ByteBuffer body = ByteBuffer.allocate(16);
        while (connection.read(body) >= 0) {
          // reads the whole (4-byte) body
        }
        assertThat(new String(body.array(), 0, body.position(), US_ASCII)).isEqualTo("blob");
      }
      assertThat(hostHeaders).containsExactly("registry.test:" + port);
      assertThat(lookups).hasValue(1);
      assertThat(second.connections()).isZero();
    } finally {
      registry.stop(0);
    }
  }

  @Test
  void overTlsTheCheckedAddressIsReachedAndTheCertificateIsVerifiedForTheName() throws Exception {
    HttpsServer registry = tlsRegistry(null);
    try {
      int port = registry.getAddress().getPort();
      RegistryBlobFetcher fetcher = fetcher(List.of("registry.test:" + port), host -> List.of(InetAddress.getByName("127.0.0.2")));

      try (RegistryConnection connection = fetcher.get(URI.create("https://registry.test:" + port + BLOB_PATH), Map.of())) {
        assertThat(connection.status()).isEqualTo(200);
      }
    } finally {
      registry.stop(0);
    }
  }

  @Test
  void anHttpsToHttpRedirectIsRefusedAndReachesNothing() throws Exception {
    // Given a TLS registry that redirects its blob to plain http on its own address (which the allowlist covers)
    try (ConnectionTrap plain = new ConnectionTrap(InetAddress.getByName("127.0.0.2"))) {
      HttpsServer registry = tlsRegistry("http://127.0.0.2:" + plain.port() + BLOB_PATH);
      try {
        int port = registry.getAddress().getPort();
        RegistryBlobFetcher fetcher = fetcher(List.of("registry.test:" + port, "127.0.0.2:" + port),
            host -> List.of(InetAddress.getByName("127.0.0.2")));

        // When the blob is fetched, Then the hop is refused as a downgrade, and nothing reached the plain listener
        assertThatThrownBy(() -> fetcher.get(URI.create("https://registry.test:" + port + BLOB_PATH), Map.of()))
            .isInstanceOfSatisfying(RegistryException.class, refused -> {
              assertThat(refused.kind()).isEqualTo(RegistryException.Kind.REFUSED_UPSTREAM);
              assertThat(refused.publicReason()).isEqualTo("refused a redirect from https to http");
            });
        assertThat(plain.connections()).isZero();
      } finally {
        registry.stop(0);
      }
    }
  }

  /** A TLS registry on 127.0.0.2 for registry.test: blobs with a 307 to {@code redirectTo}, or 200 when it is null. */
  private static HttpsServer tlsRegistry(String redirectTo) throws Exception {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext("/", exchange -> {
      try (exchange) {
        if (redirectTo == null) {
          exchange.sendResponseHeaders(200, -1);
        } else {
          exchange.getResponseHeaders().add("Location", redirectTo);
          exchange.sendResponseHeaders(307, -1);
        }
      }
    });
    server.start();
    return server;
  }

  private static RegistryBlobFetcher fetcher(List<String> allowed, HostResolver resolver) {
    RegistrySettings settings = RegistrySettings.defaults().withAllowedRegistries(allowed);
    RegistryClient client = new RegistryClient(settings, Clock.systemUTC(), resolver);
    RegistryConnection.Settings connections = new RegistryConnection.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5),
        clientTls.getSocketFactory());
    return new RegistryBlobFetcher(client, connections, connecting,
        new BodyWatch(vertx, Duration.ofSeconds(5), new ImageProxyMetrics(new SimpleMeterRegistry())));
  }
}
