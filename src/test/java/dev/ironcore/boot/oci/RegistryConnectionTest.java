package dev.ironcore.boot.oci;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One GET over a socket of its own, against in-test servers on 127.0.0.1 that send canned (and broken) answers. */
@Timeout(value = 10, unit = SECONDS, threadMode = SEPARATE_THREAD) // a regression fails; it does not hang the build
class RegistryConnectionTest {
  private static final String PASSWORD = "changeit";
  private static final Duration SHORT = Duration.ofMillis(300);
  /** Where every test server listens; the URI may name it differently (localhost). */
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir static Path dir;
  /** CN=localhost, SAN dns:localhost and ip:127.0.0.1; trusted by the client. */
  private static SSLContext trustedServer;
  /** CN=localhost, SAN dns:localhost only; trusted by the client, but not for 127.0.0.1. */
  private static SSLContext namedOnlyServer;
  /** The same names as the trusted one, self-signed by a key the client does not know. */
  private static SSLContext strangerServer;
  /** The same names, signed by a CA the client trusts, but valid only until a week ago. */
  private static SSLContext expiredServer;
  private static RegistryConnection.Settings settings;

  @BeforeAll
  static void makeCertificates() throws Exception {
    List<Process> keytools = List.of(keytool("trusted", "dns:localhost,ip:127.0.0.1"),
        keytool("named-only", "dns:localhost"), keytool("stranger", "dns:localhost,ip:127.0.0.1"),
        newKeyPair("ca", "CN=Test-CA", "bc:c"));
    for (Process keytool : keytools) {
      awaitSuccess(keytool);
    }
    trustedServer = serverContext(keystore("trusted"));
    namedOnlyServer = serverContext(keystore("named-only"));
    strangerServer = serverContext(keystore("stranger"));
    expiredServer = serverContext(expiredLeafSignedBy("ca"));
    settings = new RegistryConnection.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), clientTrusting(
        keystore("trusted"), keystore("named-only"), keystore("ca")).getSocketFactory());
  }

  @Test
  void deliversTheExactBodyIntoADirectBufferAndSendsTheSpecifiedRequest() throws Exception {
    // Given a server that sends the head and the first 100 body bytes in one write, the rest when told
    byte[] body = randomBytes(300_000);
    CountDownLatch sendTheRest = new CountDownLatch(1);
    try (TestServer server = TestServer.plain(socket -> {
      OutputStream out = socket.getOutputStream();
      out.write(concat(head(200, "Content-Length: " + body.length), slice(body, 0, 100)));
      sendTheRest.await(5, SECONDS);
      out.write(slice(body, 100, body.length));
    })) {
      // When it is fetched with an Authorization header
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v2/ironcore/os/blobs/sha256:abc?ns=ghcr.io");
      Map<String, String> headers = Map.of("Authorization", "Bearer t0k");
      try (RegistryConnection connection = RegistryConnection.open(uri, LOOPBACK, headers, settings)) {
        // Then the bytes that came with the head are there first, and the whole body arrives exactly
        assertThat(connection.status()).isEqualTo(200);
        assertThat(connection.contentLength()).isEqualTo(body.length);
        assertThat(connection.available()).isEqualTo(100);
        sendTheRest.countDown();
        assertThat(readAll(connection)).isEqualTo(body);
      }
      // And the request was exactly the specified one
      assertThat(server.request()).isEqualTo("GET /v2/ironcore/os/blobs/sha256:abc?ns=ghcr.io HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + server.port() + "\r\n"
          + "User-Agent: ironcore-boot-operator\r\n"
          + "Accept-Encoding: identity\r\n"
          + "Connection: close\r\n"
          + "Authorization: Bearer t0k\r\n\r\n");
    }
  }

  @Test
  void deliversABodyWrittenInManySmallPieces() throws Exception {
    // Given a server that writes the head in four pieces and the body 7 bytes at a time
    byte[] body = randomBytes(20_000);
    try (TestServer server = TestServer.plain(socket -> {
      for (String piece : List.of("HTTP/1.1 200 OK\r\n", "Content-Length: 20000\r\n", "\r", "\n")) {
        writeFlushed(socket, ascii(piece));
      }
      for (int offset = 0; offset < body.length; offset += 7) {
        writeFlushed(socket, slice(body, offset, Math.min(body.length, offset + 7)));
      }
    })) {
      // When a URI without a path is fetched
      try (RegistryConnection connection = open(server, "")) {
        // Then the body arrives exactly, and the request asked for "/"
        assertThat(readAll(connection)).isEqualTo(body);
      }
      assertThat(server.request()).startsWith("GET / HTTP/1.1\r\n");
    }
  }

  @Test
  void cutsABodyLongerThanContentLengthAtTheLength() throws Exception {
    try (TestServer server = TestServer.plain(socket ->
        socket.getOutputStream().write(concat(head(200, "Content-Length: 10"), ascii("0123456789-and-more"))));
        RegistryConnection connection = open(server, "/blob")) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(64);
      int total = 0;
      for (int read = connection.read(buffer); read >= 0; read = connection.read(buffer)) {
        total += read;
      }

      assertThat(total).isEqualTo(10);
      assertThat(buffer.flip()).isEqualTo(ByteBuffer.wrap(ascii("0123456789")));
      assertThat(connection.available()).isZero();
      assertThat(connection.read(ByteBuffer.allocateDirect(64))).isEqualTo(-1);
    }
  }

  @Test
  void endsBeforeContentLengthWhenTheServerClosesEarly() throws Exception {
    try (TestServer server = TestServer.plain(socket ->
        socket.getOutputStream().write(concat(head(200, "Content-Length: 100"), new byte[40])));
        RegistryConnection connection = open(server, "/blob")) {
      assertThat(readAll(connection)).hasSize(40);
      assertThat(connection.read(ByteBuffer.allocateDirect(64))).isEqualTo(-1);
    }
  }

  @Test
  void readsUntilTheServerClosesWhenThereIsNoLength() throws Exception {
    byte[] body = randomBytes(5000);
    try (TestServer server = TestServer.plain(socket -> socket.getOutputStream().write(concat(head(200), body)));
        RegistryConnection connection = open(server, "/blob")) {
      assertThat(connection.contentLength()).isEqualTo(-1);
      assertThat(readAll(connection)).isEqualTo(body);
    }
  }

  @Test
  void showsTheStatusAndHeadersOfARedirect() throws Exception {
    try (TestServer server = TestServer.plain(socket -> socket.getOutputStream().write(
        head(302, "location: https://cdn.example/blob?sig=x", "Content-Length: 0")));
        RegistryConnection connection = open(server, "/blob")) {
      assertThat(connection.status()).isEqualTo(302);
      assertThat(connection.header("Location")).isEqualTo("https://cdn.example/blob?sig=x");
      assertThat(connection.header("LOCATION")).isEqualTo("https://cdn.example/blob?sig=x");
      assertThat(connection.header("Content-Type")).isNull();
      assertThat(connection.read(ByteBuffer.allocateDirect(16))).isEqualTo(-1);
    }
  }

  @Test
  void showsANotFoundAndItsBody() throws Exception {
    try (TestServer server = TestServer.plain(socket -> socket.getOutputStream().write(
        concat(head(404, "Content-Type:  application/json ", "Content-Length: 2"), ascii("{}"))));
        RegistryConnection connection = open(server, "/blob")) {
      assertThat(connection.status()).isEqualTo(404);
      assertThat(connection.header("content-type")).isEqualTo("application/json");
      assertThat(new String(readAll(connection), US_ASCII)).isEqualTo("{}");
    }
  }

  @Test
  void hasNoLengthForAChunkedBody() throws Exception {
    try (TestServer server = TestServer.plain(socket -> socket.getOutputStream().write(
        head(200, "Transfer-Encoding: chunked", "Content-Length: 5")));
        RegistryConnection connection = open(server, "/blob")) {
      assertThat(connection.contentLength()).isEqualTo(-1);
      assertThat(connection.header("transfer-encoding")).isEqualTo("chunked");
    }
  }

  @Test
  void skipsAnInterimContinue() throws Exception {
    try (TestServer server = TestServer.plain(socket -> socket.getOutputStream().write(concat(
        ascii("HTTP/1.1 100 Continue\r\n\r\n"), head(200, "Content-Length: 3"), ascii("abc"))));
        RegistryConnection connection = open(server, "/blob")) {
      assertThat(connection.status()).isEqualTo(200);
      assertThat(new String(readAll(connection), US_ASCII)).isEqualTo("abc");
    }
  }

  static Stream<Arguments> malformedHeads() {
    return Stream.of(
        Arguments.of("garbage\r\n\r\n", "malformed status line: garbage"),
        Arguments.of("HTTP/1.1 2x0 OK\r\n\r\n", "malformed status line"),
        Arguments.of("HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n", "malformed header line: NoColonHere"),
        Arguments.of("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(70_000) + "\r\n\r\n", "longer than 64 KiB"),
        Arguments.of("HTTP/1.1 200 OK\r\nContent-Le", "closed within the response head"),
        Arguments.of("", "closed without a response"));
  }

  @ParameterizedTest
  @MethodSource("malformedHeads")
  void refusesAMalformedHead(String response, String reason) throws Exception {
    try (TestServer server = TestServer.plain(socket -> socket.getOutputStream().write(ascii(response)))) {
      assertThatThrownBy(() -> open(server, "/blob"))
          .isExactlyInstanceOf(ProtocolException.class).hasMessageContaining(reason);
    }
  }

  @Test
  void timesOutWhenTheServerNeverAnswers() throws Exception {
    try (TestServer server = TestServer.plain(TestServer::awaitClientGone)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/blob");
      var impatient = new RegistryConnection.Settings(SHORT, SHORT, settings.tls());
      long started = System.nanoTime();

      assertThatThrownBy(() -> RegistryConnection.open(uri, LOOPBACK, Map.of(), impatient))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(SHORT.minusMillis(50), Duration.ofSeconds(5));
    }
  }

  @Test
  void closeFromAnotherThreadFailsABlockedPlainRead() throws Exception {
    try (TestServer server = TestServer.plain(RegistryConnectionTest::stallAfterTenBytes)) {
      assertThatCloseFailsABlockedRead(open(server, "/blob"));
    }
  }

  @Test
  void closeFromAnotherThreadFailsABlockedTlsRead() throws Exception {
    try (TestServer server = TestServer.tls(trustedServer, RegistryConnectionTest::stallAfterTenBytes)) {
      assertThatCloseFailsABlockedRead(RegistryConnection.open(httpsUri(server, "127.0.0.1"), LOOPBACK, Map.of(), settings));
    }
  }

  @Test
  void deliversAMultiMebibyteBodyOverTls() throws Exception {
    byte[] body = randomBytes(5 * 1024 * 1024 + 17);
    try (TestServer server = TestServer.tls(trustedServer, socket ->
        socket.getOutputStream().write(concat(head(200, "Content-Length: " + body.length), body)))) {
      try (RegistryConnection connection = RegistryConnection.open(httpsUri(server, "127.0.0.1"), LOOPBACK, Map.of(), settings)) {
        assertThat(connection.status()).isEqualTo(200);
        assertThat(readAll(connection)).isEqualTo(body);
      }
      assertThat(server.request()).contains("Host: 127.0.0.1:" + server.port() + "\r\n");
    }
  }

  @Test
  void refusesAServerWithAnUntrustedCertificate() throws Exception {
    try (TestServer server = TestServer.tls(strangerServer, socket -> socket.getOutputStream().write(head(200)))) {
      assertThatThrownBy(() -> RegistryConnection.open(httpsUri(server, "127.0.0.1"), LOOPBACK, Map.of(), settings))
          .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("PKIX path"); // not a name problem: trust
    }
  }

  @Test
  void refusesAServerWhoseCertificateDoesNotNameTheHostAsked() throws Exception {
    try (TestServer server = TestServer.tls(namedOnlyServer, socket -> socket.getOutputStream().write(head(204)))) {
      // Given a trusted certificate for localhost only: by that name, it is accepted
      try (RegistryConnection byName = RegistryConnection.open(httpsUri(server, "localhost"), LOOPBACK, Map.of(), settings)) {
        assertThat(byName.status()).isEqualTo(204);
      }
      // When the same server is asked for by its address, Then hostname verification refuses it
      assertThatThrownBy(() -> RegistryConnection.open(httpsUri(server, "127.0.0.1"), LOOPBACK, Map.of(), settings))
          .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("127.0.0.1");
    }
  }

  @Test
  void anUntrustedCertificateIsToldAsOneAndSaysWhereToAddItsCa() throws Exception {
    assertThat(untrustedBecause(strangerServer)).isEqualTo("that no trusted CA signed: if the registry uses a private"
        + " CA, add that CA's certificate (PEM) to boot.registry-ca-bundle");
  }

  @Test
  void aCertificateForAnotherNameIsToldAsOne() throws Exception {
    assertThat(untrustedBecause(namedOnlyServer))
        .isEqualTo("that does not name 127.0.0.1: ask for the registry by a name its certificate holds");
  }

  @Test
  void anExpiredCertificateIsToldAsOne() throws Exception {
    assertThat(untrustedBecause(expiredServer)).startsWith("outside its validity period (")
        .endsWith("): the registry must renew it, or this machine's clock is wrong");
  }

  /**
   * Why opening a connection to a TLS server presenting {@code certificate} failed, as the log tells it
   * after "https://127.0.0.1:&lt;port&gt; presented a certificate "; the failure must be UNTRUSTED.
   */
  private String untrustedBecause(SSLContext certificate) throws Exception {
    try (TestServer server = TestServer.tls(certificate, socket -> socket.getOutputStream().write(head(204)))) {
      RegistryException failure = failureOpening(httpsUri(server, "127.0.0.1"));

      assertThat(failure.kind()).isEqualTo(RegistryException.Kind.UNTRUSTED);
      assertThat(failure.publicReason()).isEqualTo("presented a certificate we do not trust");
      String where = "https://127.0.0.1:" + server.port() + " presented a certificate ";
      assertThat(failure.getMessage()).startsWith(where);
      return failure.getMessage().substring(where.length());
    }
  }

  @Test
  void aServerThatDoesNotSpeakTlsFailsTheHandshake() throws Exception {
    // Given a plain HTTP server that answers at once, without waiting for a request
    try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      CompletableFuture.runAsync(() -> {
        try (Socket socket = plain.accept()) {
          socket.getOutputStream().write(head(200));
          TestServer.awaitClientGone(socket);
        } catch (IOException clientGone) {
          // what the test looks at is on the client's side
        }
      });
      URI uri = URI.create("https://127.0.0.1:" + plain.getLocalPort() + "/v2/");

      RegistryException failure = failureOpening(uri);

      assertThat(failure.kind()).isEqualTo(RegistryException.Kind.UNREACHABLE);
      assertThat(failure.getMessage()).startsWith("https://127.0.0.1:" + plain.getLocalPort() + " failed the TLS handshake: ");
    }
  }

  private RegistryException failureOpening(URI uri) {
    IOException refused = catchThrowableOfType(() -> RegistryConnection.open(uri, LOOPBACK, Map.of(), settings),
        IOException.class);
    assertThat(refused).as("opening " + uri + " failed").isNotNull();
    return RegistryConnection.failure(uri, refused);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer x\r\nX-Injected: 1", "Bearer x\n", "Bearer x\r", "Bearer\0x"})
  void refusesHeaderValuesThatCouldInjectHeaders(String value) {
    assertThatThrownBy(() -> RegistryConnection.open(URI.create("http://127.0.0.1:9/blob"), LOOPBACK,
        Map.of("Authorization", value), settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Authorization").hasMessageNotContaining("Bearer");
  }

  @Test
  void refusesHeaderNamesThatCouldInjectHeaders() {
    assertThatThrownBy(() -> RegistryConnection.open(URI.create("http://127.0.0.1:9/blob"), LOOPBACK,
        Map.of("X-A\r\nX-Injected", "1"), settings)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://127.0.0.1/blob", "file:///etc/passwd", "/relative/blob", "mailto:ops@example.com"})
  void refusesSchemesOtherThanHttpAndHttps(String uri) {
    assertThatThrownBy(() -> RegistryConnection.open(URI.create(uri), LOOPBACK, Map.of(), settings))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)");
  }

  @Test
  void refusesTimeoutsThatWouldMeanWaitingForever() {
    assertThatThrownBy(() -> new RegistryConnection.Settings(Duration.ZERO, SHORT, settings.tls()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RegistryConnection.Settings(SHORT, Duration.ofMillis(-1), settings.tls()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertThatCloseFailsABlockedRead(RegistryConnection connection) throws Exception {
    // Given a body of which 10 of 1000 bytes came, then nothing more
    ByteBuffer buffer = ByteBuffer.allocateDirect(1024 * 1024);
    while (buffer.position() < 10) {
      assertThat(connection.read(buffer)).as("the first 10 bytes").isPositive();
    }
    CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
      try {
        return connection.read(buffer);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThatThrownBy(() -> blocked.get(200, MILLISECONDS)).isInstanceOf(TimeoutException.class);

    // When another thread closes the connection (twice: it is idempotent)
    long closed = System.nanoTime();
    connection.close();
    connection.close();

    // Then the blocked read fails with an IOException, promptly
    assertThatThrownBy(() -> blocked.get(2, SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().cause().isInstanceOf(IOException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(Duration.ofSeconds(1));
  }

  private static void stallAfterTenBytes(Socket socket) throws IOException {
    socket.getOutputStream().write(concat(head(200, "Content-Length: 1000"), new byte[10]));
    socket.getOutputStream().flush();
    TestServer.awaitClientGone(socket);
  }

  private static RegistryConnection open(TestServer server, String path) throws IOException {
    return RegistryConnection.open(URI.create("http://127.0.0.1:" + server.port() + path), LOOPBACK, Map.of(), settings);
  }

  private static URI httpsUri(TestServer server, String host) {
    return URI.create("https://" + host + ":" + server.port() + "/v2/ironcore/os/blobs/sha256:abc");
  }

  /** Reads the whole body through one direct 1 MiB buffer, as the blob cache does. */
  private static byte[] readAll(RegistryConnection connection) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1024 * 1024);
    assertThat(buffer.isDirect()).isTrue();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (connection.read(buffer.clear()) >= 0) {
      byte[] chunk = new byte[buffer.flip().remaining()];
      buffer.get(chunk);
      body.writeBytes(chunk);
    }
    return body.toByteArray();
  }

  private static byte[] head(int status, String... headers) {
    return ("HTTP/1.1 " + status + " Whatever\r\n" + String.join("", Stream.of(headers).map(h -> h + "\r\n").toList())
        + "\r\n").getBytes(US_ASCII);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(US_ASCII);
  }

  private static void writeFlushed(Socket socket, byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    return Arrays.copyOfRange(bytes, from, to);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    Stream.of(parts).forEach(all::writeBytes);
    return all.toByteArray();
  }

  /** A self-signed certificate for CN=localhost, valid for 2 days, in {@code <name>.p12}. */
  private static Process keytool(String name, String subjectAlternativeNames) throws IOException {
    return newKeyPair(name, "CN=localhost", "SAN=" + subjectAlternativeNames);
  }

  /** An RSA key and a self-signed certificate valid for 2 days, alone in {@code <alias>.p12}. */
  private static Process newKeyPair(String alias, String subject, String extension) throws IOException {
    return keytool("-genkeypair", "-alias", alias, "-dname", subject, "-ext", extension, "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-keystore", alias + ".p12");
  }

  /** keytool, run in the test's directory, on PKCS12 stores with our password. */
  private static Process keytool(String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
  }

  private static void awaitSuccess(Process keytool) throws Exception {
    assertThat(keytool.waitFor(30, SECONDS) && keytool.exitValue() == 0)
        .as("keytool: %s", new String(keytool.getInputStream().readAllBytes(), US_ASCII)).isTrue();
  }

  /** A key and a certificate for localhost that the CA in {@code <ca>.p12} signed, valid from 10 days ago for 2 days. */
  private static KeyStore expiredLeafSignedBy(String ca) throws Exception {
    awaitSuccess(newKeyPair("expired", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1"));
    awaitSuccess(keytool("-certreq", "-alias", "expired", "-keystore", "expired.p12", "-file", "expired.csr"));
    awaitSuccess(keytool("-gencert", "-alias", ca, "-keystore", ca + ".p12", "-infile", "expired.csr",
        "-outfile", "expired.crt", "-startdate", "-10d", "-validity", "2", "-ext", "SAN=dns:localhost,ip:127.0.0.1"));
    KeyStore leaf = keystore("expired");
    Certificate[] chain;
    try (InputStream in = Files.newInputStream(dir.resolve("expired.crt"))) {
      chain = new Certificate[] {CertificateFactory.getInstance("X.509").generateCertificate(in),
          keystore(ca).getCertificate(ca)};
    }
    leaf.setKeyEntry("expired", leaf.getKey("expired", PASSWORD.toCharArray()), PASSWORD.toCharArray(), chain);
    return leaf;
  }

  private static KeyStore keystore(String name) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static SSLContext serverContext(KeyStore keys) throws Exception {
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    return context;
  }

  /** A client context that trusts exactly the certificates of the given keystores (and no CA). */
  private static SSLContext clientTrusting(KeyStore... keystores) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    for (KeyStore keystore : keystores) {
      String alias = keystore.aliases().nextElement();
      trusted.setCertificateEntry(alias, keystore.getCertificate(alias));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** What a test server does with a connection once it has read the request head. */
  @FunctionalInterface
  interface Answer {
    void answer(Socket socket) throws Exception;
  }

  /**
   * A server on 127.0.0.1: for each connection, a thread reads the request head (kept for
   * {@link #request()}), runs the answer and closes the connection.
   */
  static final class TestServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Answer answer;
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private TestServer(ServerSocket listener, Answer answer) {
      this.listener = listener;
      this.answer = answer;
      startDaemon(this::accept);
    }

    static TestServer plain(Answer answer) throws IOException {
      return new TestServer(new ServerSocket(0, 50, loopback()), answer);
    }

    static TestServer tls(SSLContext context, Answer answer) throws IOException {
      return new TestServer(context.getServerSocketFactory().createServerSocket(0, 50, loopback()), answer);
    }

    private static InetAddress loopback() throws IOException {
      return InetAddress.getByName("127.0.0.1");
    }

    int port() {
      return listener.getLocalPort();
    }

    /** The head of the next request received, waiting a little for it. */
    String request() throws InterruptedException {
      String request = requests.poll(5, SECONDS);
      assertThat(request).as("a request within 5 s").isNotNull();
      return request;
    }

    /** Blocks until the client closes the connection (or the server is closed). */
    static void awaitClientGone(Socket socket) throws IOException {
      while (socket.getInputStream().read() >= 0) {
        // nothing more is expected from the client
      }
    }

    private static void startDaemon(Runnable work) {
      Thread thread = new Thread(work, "registry-connection-test-server");
      thread.setDaemon(true);
      thread.start();
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket socket = listener.accept();
          connections.add(socket);
          startDaemon(() -> serve(socket));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket socket) {
      try (socket) {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000); // a safety net: no test waits that long
        requests.add(readHead(socket.getInputStream()));
        answer.answer(socket);
      } catch (Exception e) {
        // the client went away or refused the handshake: what the test looks at is on its side
      } finally {
        connections.remove(socket);
      }
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
        int next = in.read();
        if (next < 0) {
          throw new IOException("no request head");
        }
        head.write(next);
      }
      return head.toString(US_ASCII);
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket connection : connections) {
        connection.close();
      }
    }
  }
}
