package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.BootOperatorMain;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a process of its own, stopped the way Kubernetes stops it (SIGTERM): readiness fails
 * at once, a machine in the middle of a layer gets all of it, and the process exits once that answer is
 * sent. Guards the wiring that {@link ShutdownDrainTest} does not reach: Camel's signal hook, the
 * drain before anything stops, and a hook wait long enough for it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SigtermDrainTest {
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;

  @Test
  void aMachineReadingALayerWhenSigtermComesGetsAllOfItAndThenTheProcessExits() throws Exception {
    try (TestRegistry registry = TestRegistry.anonymous(Files.createDirectory(dir.resolve("registry")))) {
      byte[] layer = ProxyClient.randomBytes(32 * MIB, 61);
      Descriptor pushed = new ImagePusher(registry).layer("ironcore/sigterm", LayerMediaTypes.SQUASHFS, layer);
      String path = ProxyClient.imagePath(registry.host() + "/ironcore/sigterm", pushed.digest());
      int bootPort = AvailablePortFinder.getNextAvailable();
      int healthPort = AvailablePortFinder.getNextAvailable();
      Process service = start(Map.of("BOOT_CLUSTER", "embedded", "BOOT_ALLOWED_REGISTRIES", registry.host(),
          "BOOT_BOOT_SERVER_ADDRESS", "127.0.0.1:" + bootPort,
          "BOOT_IMAGE_PROXY_SERVER_ADDRESS", "127.0.0.1:" + AvailablePortFinder.getNextAvailable(),
          "BOOT_METRICS_BIND_ADDRESS", "127.0.0.1:" + AvailablePortFinder.getNextAvailable(),
          "BOOT_HEALTH_PROBE_BIND_ADDRESS", "127.0.0.1:" + healthPort,
          "BOOT_BLOB_CACHE_DIR", Files.createDirectory(dir.resolve("cache")).toString(),
          "BOOT_CONTROLLERS", "ipxebootconfig", "BOOT_IMAGE_PREFETCH", "false", "BOOT_SHUTDOWN_DELAY", "1s"));
      try {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
            .until(() -> status(healthPort, "/readyz") == 200);
        // Given a machine that has read the first MiB of a layer and reads no more for now
        try (Socket machine = ProxyClient.startDownload(bootPort, path)) {
          ByteArrayOutputStream answer = new ByteArrayOutputStream();
          ProxyClient.readInto(machine, answer, MIB);

          // When the process gets SIGTERM
          service.destroy();

          // Then it is not ready any more, still runs, and the machine gets the rest of the layer
          await().atMost(Duration.ofSeconds(10)).until(() -> status(healthPort, "/readyz") == 503);
          assertThat(service.isAlive()).isTrue();
          machine.setSoTimeout(30_000);
          ProxyClient.readInto(machine, answer, Long.MAX_VALUE); // to the end: closed once it is sent
          assertThat(ProxyClient.sha256(ProxyClient.bodyOf(answer.toByteArray()))).isEqualTo(ProxyClient.sha256(layer));
        }
        // And the process then exits, having said so
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("service.log"))).contains("Shutting down: every answer under way was sent");
      } finally {
        service.destroyForcibly().waitFor();
      }
    }
  }

  private Process start(Map<String, String> environment) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), BootOperatorMain.class.getName()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  private static int status(int port, String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception notYet) {
      return -1;
    }
  }
}
