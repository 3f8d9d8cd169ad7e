package dev.ironcore.boot.connections;

import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The HTTP servers defend themselves: idle and slow-header connections are closed, a client that
 * stops reading a blob frees it, request heads are capped, no cleartext HTTP/2, connections capped
 * per port and per client. Real sockets on loopback; 127.0.0.x source addresses play other machines.
 */
class HttpServerDefenseTest {
  private static final String UUID = "0f1e2d3c-0000-4000-8000-00000000defe";
  private static final String REPO = "ironcore/defense";
  private static final Duration IDLE = Duration.ofMillis(1500);

  @TempDir static Path dir;
  private static MockCluster cluster;
  private static TestRegistry registry;
  /** Idle timeout 1.5 s, header timeout 4 s, default caps. */
  private static BootServiceUnderTest service;
  /** Three connections per client, five per port; 127.0.0.9 is a trusted proxy. */
  private static BootServiceUnderTest capped;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("registry"));
    registry = TestRegistry.anonymous(dir.resolve("registry"));
    cluster = new MockCluster();
    cluster.newClient().resource(ipxeConfig("defense", UUID, "http://k/kernel", "http://k/initrd", null)).create();
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.allowed-registries", registry.host(),
        "boot.http-idle-timeout", IDLE.toMillis() + "ms",
        "boot.http-header-timeout", "4s",
        "boot.image-prefetch", "false"));
    capped = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.max-connections-per-client", "3",
        "boot.max-connections-per-port", "5",
        "boot.trusted-proxies", "127.0.0.9",
        "boot.image-prefetch", "false"));
  }

  @AfterAll
  static void stop() throws Exception {
    capped.close();
    service.close();
    cluster.close();
    registry.close();
  }

  /** A random blob of {@code size} bytes, pushed and fetched once through the service so that it is cached; its path. */
  private static String cachedBlob(long size, long seed) throws Exception {
    byte[] bytes = new byte[(int) size];
    new Random(seed).nextBytes(bytes);
    Descriptor layer = new ImagePusher(registry).layer(REPO, LayerMediaTypes.SQUASHFS, bytes);
    String path = "/image?imageName=" + registry.host() + "/" + REPO + "&version=v1&layerDigest=" + layer.digest();
    try (Socket first = request("127.0.0.1", service.bootPort(), path)) {
      assertThat(readUntilClosedOrCount(first, size + 1024)).isGreaterThan(size);
    }
    return path;
  }

  @Test
  void fiveHundredIdleSocketsAreClosedAfterTheIdleTimeoutWhileBootRequestsAreAnswered() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      // Given 500 connections that never send a byte
      for (int i = 0; i < 500; i++) {
        idle.add(connect("127.0.0.1", service.bootPort()));
      }
      // Then a boot request is answered meanwhile
      HttpResponse<String> script = service.get("/ipxe/" + UUID);
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.body()).startsWith("#!ipxe");

      // And every idle socket is closed by the server, after the idle timeout and well within the header timeout
      long started = System.nanoTime();
      for (Socket socket : idle) {
        socket.setSoTimeout(10_000);
        assertThat(readUntilClosed(socket)).isEmpty();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
      assertThat(service.metric("boot_http_connections_closed_total", "idle", "boot"))
          .isGreaterThanOrEqualTo(500);
      assertThat(service.get("/ipxe/" + UUID).statusCode()).isEqualTo(200);
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
  }

  @Test
  void aClientSendingItsHeadAByteEvery500MsIsClosedByTheHeaderTimeout() throws Exception {
    double before = service.metric("boot_http_connections_closed_total", "header-timeout", "image");
    byte[] head = "GET /ipxe/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
        .getBytes(ISO_8859_1);
    long started = System.nanoTime();
    int sent = 0;
    try (Socket socket = connect("127.0.0.1", service.imagePort())) {
      // a byte every 500 ms keeps the idle timeout (1.5 s) from firing: only the header timeout (4 s) can
      try {
        for (; sent < head.length; sent++) {
          socket.getOutputStream().write(head[sent]);
          Thread.sleep(500);
        }
      } catch (SocketException closedByServer) {
        // the server closed while the head was still coming
      }
      socket.setSoTimeout(10_000);
      assertThat(readUntilClosed(socket)).isEmpty();
    }
    assertThat(sent).isLessThan(head.length);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(3500))
        .isLessThan(Duration.ofSeconds(20));
    assertThat(service.metric("boot_http_connections_closed_total", "header-timeout", "image"))
        .isEqualTo(before + 1);
  }

  @Test
  void aClientThatStopsReadingACachedBlobIsClosedAfterTheIdleTimeoutAndTheBlobIsReleased() throws Exception {
    // Given a 64 MiB blob in the cache (sent with sendfile)
    long size = 64 * 1024 * 1024;
    String path = cachedBlob(size, 14);
    await().atMost(Duration.ofSeconds(10)).until(() -> service.metric("blob_cache_pinned_blobs") == 0);

    // When a client reads 1 MiB of it and stops reading
    Socket stalled = new Socket();
    stalled.setReceiveBufferSize(64 * 1024);
    stalled.connect(new InetSocketAddress("127.0.0.1", service.bootPort()));
    stalled.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(ISO_8859_1));
    stalled.setSoTimeout(10_000);
    readExactly(stalled.getInputStream(), 1024 * 1024);
    assertThat(service.metric("blob_cache_pinned_blobs")).isEqualTo(1);

    // Then the server closes the connection after the idle timeout and releases the blob
    await().atMost(Duration.ofSeconds(10))
        .until(() -> service.metric("blob_cache_pinned_blobs") == 0);
    assertThat(readUntilClosedOrCount(stalled, Long.MAX_VALUE)).isLessThan(size);
    stalled.close();
  }

  @Test
  void aClientGoneMidBlobAndOneClosedForIdlenessLeaveNoErrorInTheLog() throws Exception {
    // Given a cached 32 MiB blob and the service's log
    long size = 32 * 1024 * 1024;
    String path = cachedBlob(size, 16);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(log);
    try {
      // When one client resets its connection after 1 MiB, and another stops reading until the idle timeout
      Socket reset = request("127.0.0.1", service.bootPort(), path);
      reset.setSoTimeout(10_000);
      readExactly(reset.getInputStream(), 1024 * 1024);
      reset.setSoLinger(true, 0);
      reset.close();
      Socket stalled = request("127.0.0.1", service.bootPort(), path);
      stalled.setSoTimeout(10_000);
      readExactly(stalled.getInputStream(), 1024 * 1024);
      await().atMost(Duration.ofSeconds(10)).until(() -> service.metric("blob_cache_pinned_blobs") == 0);
      stalled.close();

      // Then both ends are in the request log, and nothing was logged as an error
      assertThat(log.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
          .extracting(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).isEmpty();
    } finally {
      root.detachAppender(log);
    }
  }

  @Test
  void aSlowButReadingClientKeepsItsBlobPastTheIdleTimeout() throws Exception {
    // Given a cached 32 MiB blob
    long size = 32 * 1024 * 1024;
    String path = cachedBlob(size, 15);
    // When a client reads it in steps of 64 KiB every 10 ms for twice the idle timeout: one
    // transfer longer than the timeout, which a timeout counting only bytes read would cut
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(64 * 1024);
      slow.connect(new InetSocketAddress("127.0.0.1", service.bootPort()));
      slow.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(ISO_8859_1));
      slow.setSoTimeout(10_000);
      long received = 0;
      long deadline = System.nanoTime() + 2 * IDLE.toNanos();
      while (System.nanoTime() < deadline && received < size / 2) {
        readExactly(slow.getInputStream(), 64 * 1024);
        received += 64 * 1024;
        Thread.sleep(10);
      }
      // Then the transfer goes on to its last byte
      assertThat(received + readUntilClosedOrCount(slow, size - received)).isGreaterThanOrEqualTo(size);
    }
    assertThat(service.metric("blob_cache_pinned_blobs")).isZero();
  }

  @Test
  void cleartextHttp2IsNeverSpokenOnAnyPlainPort() throws Exception {
    byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(ISO_8859_1);
    byte[] emptySettings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    for (int port : new int[] {service.bootPort(), service.imagePort(), service.healthPort(), service.metricsPort()}) {
      // prior knowledge: an HTTP/1.1 505 with its reason, never an HTTP/2 SETTINGS frame
      try (Socket socket = connect("127.0.0.1", port)) {
        socket.getOutputStream().write(preface);
        socket.getOutputStream().write(emptySettings);
        socket.setSoTimeout(10_000);
        assertThat(readUntilClosed(socket)).as("port %d", port).startsWith("HTTP/1.1 505 ")
            .endsWith("HTTP Version Not Supported: this port speaks HTTP/1.1 (HTTP/2 only over TLS where it is on);"
                + " send HTTP/1.1\n");
      }
      // curl --http2-prior-knowledge gets no HTTP/2 answer (curl reports an empty or failed reply)
      assertThat(curl("--http2-prior-knowledge", "http://127.0.0.1:" + port + "/healthz")).as("port %d", port)
          .doesNotStartWith("2 ").startsWith("curl: (");
      // Upgrade: h2c: an HTTP/1.1 answer, never 101 Switching Protocols
      try (Socket socket = connect("127.0.0.1", port)) {
        socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n").getBytes(ISO_8859_1));
        socket.setSoTimeout(10_000);
        String status = statusLine(socket);
        assertThat(status).as("port %d", port).startsWith("HTTP/1.1 ").doesNotContain("101");
      }
    }
  }

  @Test
  void anOversizedRequestLineIs414AndOversizedHeadersAre431OnEveryPort() throws Exception {
    for (int port : new int[] {service.bootPort(), service.imagePort(), service.healthPort(), service.metricsPort()}) {
      try (Socket socket = connect("127.0.0.1", port)) {
        socket.getOutputStream().write(("GET /ipxe/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(ISO_8859_1));
        socket.setSoTimeout(10_000);
        assertThat(statusLine(socket)).as("port %d", port).startsWith("HTTP/1.1 414");
      }
      try (Socket socket = connect("127.0.0.1", port)) {
        socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(17_000) + "\r\n\r\n")
            .getBytes(ISO_8859_1));
        socket.setSoTimeout(10_000);
        assertThat(statusLine(socket)).as("port %d", port).startsWith("HTTP/1.1 431");
      }
    }
    assertThat(service.metric("boot_http_requests_refused_total", "request-line-too-long", "boot"))
        .isGreaterThanOrEqualTo(1);
    assertThat(service.metric("boot_http_requests_refused_total", "headers-too-large", "management"))
        .isGreaterThanOrEqualTo(1);
    assertThat(service.get("/ipxe/" + "a".repeat(9000)).body())
        .isEqualTo("URI Too Long: the request line is longer than 8192 bytes (boot.http-max-request-line);"
            + " shorten the URL\n");
    // a head within the caps is still served
    assertThat(service.get("/ipxe/" + UUID, "X-Fine", "c".repeat(8000)).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientPastItsCapAndAPortPastItsCapAreRefusedAndCounted() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      // Given three served connections from one machine
      for (int i = 0; i < 3; i++) {
        open.add(servedConnection("127.0.0.2", capped.bootPort()));
      }
      // Then its fourth is closed at once, while another machine is served
      assertRefused("127.0.0.2", capped.bootPort());
      open.add(servedConnection("127.0.0.3", capped.bootPort()));
      // And a trusted proxy is not capped per client, but the port is (five in all)
      open.add(servedConnection("127.0.0.9", capped.bootPort()));
      assertRefused("127.0.0.9", capped.bootPort());
      assertRefused("127.0.0.4", capped.bootPort());
      // And the image port has caps of its own
      servedConnection("127.0.0.2", capped.imagePort()).close();

      assertThat(capped.metric("boot_http_connections_refused_total", "client-limit", "boot"))
          .isEqualTo(1);
      assertThat(capped.metric("boot_http_connections_refused_total", "port-limit", "boot"))
          .isEqualTo(2);

      // When one connection closes, its machine may open another
      open.remove(0).close();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> capped.metric("boot_http_connections_open", "boot") == 4);
      open.add(servedConnection("127.0.0.2", capped.bootPort()));
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
  }

  /** A kept-alive connection from {@code source} on which one boot request was answered. */
  private static Socket servedConnection(String source, int port) throws IOException {
    Socket socket = request(source, port, "/ipxe/" + UUID);
    assertThat(statusLine(socket)).as("from %s", source).startsWith("HTTP/1.1 200");
    return socket;
  }

  private static void assertRefused(String source, int port) throws IOException {
    try (Socket socket = connect(source, port)) {
      socket.setSoTimeout(10_000);
      assertThat(readUntilClosed(socket)).as("from %s", source).isEmpty();
    }
  }

  private static Socket connect(String source, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return socket;
  }

  private static Socket request(String source, int port, String path) throws IOException {
    Socket socket = connect(source, port);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(ISO_8859_1));
    return socket;
  }

  private static String statusLine(Socket socket) throws IOException {
    StringBuilder line = new StringBuilder();
    InputStream in = socket.getInputStream();
    for (int next = in.read(); next >= 0 && next != '\n'; next = in.read()) {
      line.append((char) next);
    }
    return line.toString().trim();
  }

  /** Everything the server sends until it closes (a reset counts as closed); a read timeout fails the test. */
  private static String readUntilClosed(Socket socket) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      socket.getInputStream().transferTo(all);
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("the server did not close the connection", stillOpen);
    } catch (SocketException reset) {
      // closed by the server with a reset
    }
    return all.toString(ISO_8859_1);
  }

  private static long readUntilClosedOrCount(Socket socket, long count) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    try {
      for (int read = 0; read >= 0 && total < count; read = socket.getInputStream().read(chunk)) {
        total += read;
      }
    } catch (SocketException reset) {
      // closed by the server with a reset
    }
    return total;
  }

  private static void readExactly(InputStream in, int count) throws IOException {
    assertThat(in.readNBytes(count)).hasSize(count);
  }

  /** curl's {@code %{http_version} %{http_code}} and any error it printed. */
  private static String curl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
        "--max-time", "10"));
    command.addAll(List.of(arguments));
    Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(curl.getInputStream().readAllBytes(), ISO_8859_1);
    curl.waitFor();
    return output;
  }
}
