package dev.ironcore.boot.imageproxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graceful part of a stop (what SIGTERM runs before anything is stopped): readiness fails at
 * once; connections open then, and new ones during {@code boot.shutdown-delay}, are served and closed
 * after their answer (idle ones at once); after the delay new connections are refused; an answer
 * under way (a machine reading a layer) is finished, up to {@code boot.shutdown-timeout}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownDrainTest {
  private static final String REPO = "ironcore/drain";
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  private TestRegistry registry;
  private MockCluster cluster;
  private BootServiceUnderTest service;
  private final ProxyClient client = new ProxyClient();

  @BeforeEach
  void startRegistry() throws Exception {
    registry = TestRegistry.anonymous(dir);
    cluster = new MockCluster();
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    cluster.close();
    registry.close();
  }

  @Test
  void answersUnderWayFinishNewConnectionsAreServedDuringTheDelayThenRefused() throws Exception {
    start("1s", "20s");
    byte[] layer = ProxyClient.randomBytes(16 * MIB, 51);
    String path = layerPath(layer);
    ProxyClient.assertBlob(client.get(service.bootPort(), path), layer, "application/octet-stream"); // cached now
    // Given a machine that has read the first MiB of the layer, and one whose keep-alive connection is idle
    Socket slow = ProxyClient.startDownload(service.bootPort(), path);
    ByteArrayOutputStream slowAnswer = new ByteArrayOutputStream();
    ProxyClient.readInto(slow, slowAnswer, MIB);
    Socket idle = new Socket("127.0.0.1", service.imagePort());
    assertThat(head(idle, path)).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");

    // When the service is told to stop
    CompletableFuture<Void> drained = CompletableFuture.runAsync(service.app()::drain);

    // Then it is not ready any more, at once, and the idle connection is closed
    await().atMost(Duration.ofSeconds(2)).until(() -> service.send(service.healthPort(), "GET", "/readyz").statusCode() == 503);
    idle.setSoTimeout(5_000);
    assertThat(idle.getInputStream().read()).isEqualTo(-1);
    // And a machine that connects during the delay is answered, told to close, and closed
    try (Socket late = new Socket("127.0.0.1", service.bootPort())) {
      late.setSoTimeout(5_000);
      assertThat(head(late, path)).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
      assertThat(late.getInputStream().read()).isEqualTo(-1);
    }
    // And after the delay a new connection is closed unanswered, and counted
    await().atMost(Duration.ofSeconds(5)).until(() -> closedUnanswered(service.bootPort(), path));
    assertThat(service.metric("boot_http_connections_refused_total", "shutting-down", "boot")).isPositive();

    // And the drain waits for the machine still reading, which then gets every byte
    assertThat(drained).isNotDone();
    ProxyClient.readInto(slow, slowAnswer, Long.MAX_VALUE); // to the end: the server closes once it is sent
    assertThat(ProxyClient.headOf(slowAnswer.toByteArray())).startsWith("HTTP/1.1 200")
        .contains("content-length: " + layer.length);
    assertThat(ProxyClient.sha256(ProxyClient.bodyOf(slowAnswer.toByteArray()))).isEqualTo(ProxyClient.sha256(layer));
    drained.get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAnswerThatDoesNotFinishIsWaitedForOnlyUntilTheTimeout() throws Exception {
    start("200ms", "1500ms");
    byte[] layer = ProxyClient.randomBytes(16 * MIB, 52);
    String path = layerPath(layer);
    ProxyClient.assertBlob(client.get(service.bootPort(), path), layer, "application/octet-stream");
    try (Socket stalled = ProxyClient.startDownload(service.bootPort(), path)) {
      ProxyClient.read(stalled, MIB); // and reads no more

      long started = System.nanoTime();
      service.app().drain();

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(Duration.ofMillis(1400), Duration.ofSeconds(5));
    }
  }

  private void start(String delay, String timeout) throws Exception {
    service = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
        Map.of("boot.allowed-registries", registry.host(), "boot.shutdown-delay", delay, "boot.shutdown-timeout", timeout));
  }

  private String layerPath(byte[] layer) throws Exception {
    Descriptor pushed = new ImagePusher(registry).layer(REPO, LayerMediaTypes.SQUASHFS, layer);
    return ProxyClient.imagePath(registry.host() + "/" + REPO, pushed.digest());
  }

  /** Sends a HEAD of {@code path} on an open connection and returns the response head. */
  private static String head(Socket socket, String path) throws Exception {
    socket.getOutputStream().write(("HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(US_ASCII));
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      head.write(next);
    }
    return head.toString(US_ASCII);
  }

  /** Whether a new connection to {@code port} is closed (or reset) without an answer to a HEAD. */
  private static boolean closedUnanswered(int port, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      return head(socket, path).isEmpty();
    } catch (SocketException reset) {
      return true;
    }
  }
}
