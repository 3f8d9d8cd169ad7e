package dev.ironcore.boot.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.ReviewingDispatcher;
import dev.ironcore.boot.testing.TestCertificates;
import dev.ironcore.boot.testing.TlsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against a cluster serves /metrics as the Go manager does by default: HTTPS, a bearer
 * token reviewed by the API server, nothing on the probe port; over real TLS on loopback.
 */
class SecureMetricsTest {
  private static final String READER = "system:serviceaccount:monitoring:prometheus";

  @TempDir Path dir;
  private final ReviewingDispatcher reviewer = new ReviewingDispatcher(
      Map.of("reader-token", READER, "stranger-token", "system:serviceaccount:default:stranger"), Set.of(READER));
  private MockCluster cluster;
  private BootServiceUnderTest service;

  private BootServiceUnderTest start(Map<String, String> properties) throws Exception {
    cluster = new MockCluster(reviewer);
    Map<String, String> all = new HashMap<>(properties);
    all.put("boot.metrics-secure", "true");
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), all);
    return service;
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void metricsGoOverHttpsWithTheCertPathsCertificateToAuthorisedScrapersOnly() throws Exception {
    TestCertificates ca = TestCertificates.authority(dir);
    Path certs = certDirectory(ca.leaf(TestCertificates.KeyForm.RSA_PKCS1));
    start(Map.of("boot.metrics-cert-path", certs.toString(), "boot.tls-reload-period", "200ms"));
    HttpClient client = client(new TlsClient(ca.root()).context(), HttpClient.Version.HTTP_2);

    HttpResponse<String> anonymous = scrape(client, null);
    HttpResponse<String> stranger = scrape(client, "stranger-token");
    HttpResponse<String> reader = scrape(client, "reader-token");

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(stranger.statusCode()).isEqualTo(403);
    assertThat(stranger.body()).contains("system:serviceaccount:default:stranger");
    assertThat(reader.statusCode()).isEqualTo(200);
    assertThat(reader.body()).contains("boot_tls_certificate_expiry_seconds{server=\"metrics\"}");
    assertThat(anonymous.body() + stranger.body()).doesNotContain("jvm_");
    // HTTP/2 only with --enable-http2: the client asked for it and got HTTP/1.1
    assertThat(reader.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  @Test
  void theProbePortServesProbesButNoMetrics() throws Exception {
    start(Map.of());
    HttpClient plain = HttpClient.newHttpClient();

    assertThat(get(plain, "http://127.0.0.1:" + service.healthPort() + "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(plain, "http://127.0.0.1:" + service.healthPort() + "/metrics").statusCode()).isEqualTo(404);
    assertThat(get(plain, "http://127.0.0.1:" + service.healthPort() + "/observe/metrics").statusCode()).isEqualTo(404);
  }

  @Test
  void withoutACertPathTheCertificateIsSelfSignedAndEnableHttp2AllowsHttp2() throws Exception {
    start(Map.of("boot.enable-http2", "true"));

    try (SSLSocket socket = tlsSocket("h2", "http/1.1")) {
      assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
      X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      assertThat(served.getIssuerX500Principal()).isEqualTo(served.getSubjectX500Principal());
    }
    try (SSLSocket socket = tlsSocket("http/1.1")) {
      socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer reader-token\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("boot_tls_certificate_expiry_seconds");
    }
  }

  /** A TLS connection to the metrics port offering {@code protocols} by ALPN; any certificate is taken. */
  private SSLSocket tlsSocket(String... protocols) throws Exception {
    SSLSocket socket = (SSLSocket) trustingAnything().getSocketFactory().createSocket("127.0.0.1", service.metricsPort());
    socket.setSoTimeout(30_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setApplicationProtocols(protocols);
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  @Test
  void aNewCertificateInTheCertPathIsServedWithoutARestart() throws Exception {
    TestCertificates ca = TestCertificates.authority(dir);
    TestCertificates.Leaf first = ca.leaf(TestCertificates.KeyForm.RSA_PKCS8);
    Path certs = certDirectory(first);
    start(Map.of("boot.metrics-cert-path", certs.toString(), "boot.tls-reload-period", "200ms"));
    TlsClient tls = new TlsClient(ca.root());
    assertThat(tls.servedCertificate(service.metricsPort()).getSubjectX500Principal().getName()).contains(first.commonName());

    TestCertificates.Leaf second = ca.leaf(TestCertificates.KeyForm.EC_SEC1);
    Files.copy(second.key(), certs.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(second.certificateChain(), certs.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
        tls.servedCertificate(service.metricsPort()).getSubjectX500Principal().getName()).contains(second.commonName()));
  }

  private static Path certDirectory(TestCertificates.Leaf leaf) throws Exception {
    Path certs = Files.createTempDirectory(leaf.key().getParent(), "metrics-certs");
    Files.copy(leaf.certificateChain(), certs.resolve("tls.crt"));
    Files.copy(leaf.key(), certs.resolve("tls.key"));
    return certs;
  }

  private HttpResponse<String> scrape(HttpClient client, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + service.metricsPort() + "/metrics"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpClient client(SSLContext tls, HttpClient.Version version) {
    return HttpClient.newBuilder().sslContext(tls).version(version).build();
  }

  /** For the self-signed certificate, whose only use here is that the connection is TLS at all. */
  private static SSLContext trustingAnything() throws Exception {
    X509TrustManager anything = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {anything}, new SecureRandom());
    return context;
  }
}
