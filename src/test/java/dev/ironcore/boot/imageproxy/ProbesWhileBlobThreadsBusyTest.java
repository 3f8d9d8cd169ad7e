package dev.ironcore.boot.imageproxy;

import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob work never starves probes or boot requests: while every blob thread is stuck re-hashing a
 * stored blob (after a restart) and more re-hashes wait, {@code /healthz}, {@code /readyz} and
 * {@code /ignition} still answer. The stuck re-hashes are real: each cached blob is swapped for a named
 * pipe after start-up, so reading it blocks until the test writes to it. There are more of them than
 * the Vert.x worker pool has threads, so re-hashing there would leave no worker for the others.
 */
class ProbesWhileBlobThreadsBusyTest {
  private static final String REPO = "ironcore/busy";
  private static final String UUID = "8a1b2c3d-0000-4000-8000-0000000000b1";
  /** More than the Vert.x worker pool (64 threads). */
  private static final int STORED_BLOBS = 72;
  private static final int BLOB_THREADS = 2;
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(2);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;

  @Test
  void probesAndIgnitionAnswerWhileEveryBlobThreadIsBusyReHashing() throws Exception {
    // Given layers in a registry, a machine with Ignition, and a cache that holds a copy of each layer
    // from before a restart (not yet re-verified), with 2 blob threads
    Files.createDirectories(dir.resolve("registry"));
    Path blobs = dir.resolve("cache").resolve("sha256");
    Files.createDirectories(blobs);
    try (MockCluster cluster = new MockCluster(); KubernetesClient client = cluster.newClient();
        TestRegistry registry = TestRegistry.anonymous(dir.resolve("registry"))) {
      ImagePusher pusher = new ImagePusher(registry);
      List<byte[]> layers = new ArrayList<>();
      List<Path> stored = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      for (int i = 0; i < STORED_BLOBS; i++) {
        byte[] bytes = ProxyClient.randomBytes(4096, 100 + i);
        Descriptor layer = pusher.layer(REPO, LayerMediaTypes.KERNEL, bytes);
        layers.add(bytes);
        paths.add(ProxyClient.imagePath(registry.host() + "/" + REPO, layer.digest()));
        Path blob = blobs.resolve(layer.digest().substring("sha256:".length()));
        Files.write(blob, "changed on disk".getBytes(US_ASCII));
        stored.add(blob);
      }
      client.resource(secret("ignition", Map.of("ignition", "{\"ignition\":{\"version\":\"3.3.0\"}}"))).create();
      IPXEBootConfig config = ipxeConfig("busy", UUID, "http://k/kernel", "http://k/initrd", null);
      config.getSpec().setIgnitionSecretRef(ref("ignition"));
      client.resource(config).create();
      try (BootServiceUnderTest service = BootServiceUnderTest.startSynced(
          ClusterConnection.external(cluster.newClient()), Map.of("boot.allowed-registries", registry.host(),
              "boot.blob-cache-dir", dir.resolve("cache").toString(),
              "boot.blob-cache-threads", String.valueOf(BLOB_THREADS)))) {
        // And each stored blob now a pipe that blocks whoever reads it
        for (Path blob : stored) {
          Files.delete(blob);
          assertThat(new ProcessBuilder("mkfifo", blob.toString()).start().waitFor()).isZero();
        }
        List<Socket> machines = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        try {
          // When a machine for each asks for its layer (each from its own address), so that every
          // blob thread is stuck re-hashing one and the other re-hashes wait
          for (int i = 0; i < STORED_BLOBS; i++) {
            machines.add(ask(service.bootPort(), paths.get(i), "127.0.1." + (i + 1)));
          }
          Thread.sleep(500);

          // Then the probes and Ignition answer, each within a generous bound
          assertThat(answer(service.healthPort(), "/healthz").statusCode()).isEqualTo(200);
          assertThat(answer(service.healthPort(), "/readyz").statusCode()).isEqualTo(200);
          HttpResponse<String> ignition = answer(service.bootPort(), "/ignition/" + UUID);
          assertThat(ignition.statusCode()).isEqualTo(200);
          assertThat(ignition.body()).contains("\"version\":\"3.3.0\"");
          // And the layers are still waiting for their re-hash: it runs on the blob threads, all busy
          for (Socket machine : machines) {
            assertThat(machine.getInputStream().available()).isZero();
          }
        } finally {
          // (the pipes answer: what is stored is not the layer any more)
          for (Path blob : stored) {
            writers.add(answerPipe(blob));
          }
        }

        // And once the blob threads are free, the re-hashes find the changed copies and each machine
        // gets its layer, downloaded again and verified
        for (int i = 0; i < STORED_BLOBS; i++) {
          assertThat(bodyOf(machines.get(i))).as(paths.get(i)).isEqualTo(layers.get(i));
        }
        for (Thread writer : writers) {
          writer.join(Duration.ofSeconds(5).toMillis());
          assertThat(writer.isAlive()).isFalse();
        }
      } finally {
        releaseWaitingWriters(stored);
      }
    }
  }

  /** Writes a few bytes into the pipe once the service opens it to re-hash the blob. */
  private static Thread answerPipe(Path pipe) {
    Thread writer = new Thread(() -> {
      try {
        Files.write(pipe, "changed on disk".getBytes(US_ASCII));
      } catch (java.io.IOException released) {
        // the test ended first and released it
      }
    }, "pipe-" + pipe.getFileName());
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  /** A writer still waiting for a reader (the test failed early) is let go: opening read-write never blocks. */
  private static void releaseWaitingWriters(List<Path> pipes) throws java.io.IOException {
    for (Path pipe : pipes) {
      if (Files.exists(pipe) && !Files.isRegularFile(pipe)) {
        new RandomAccessFile(pipe.toFile(), "rw").close();
      }
    }
  }

  private HttpResponse<String> answer(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(ANSWERED_WITHIN)
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET from {@code source} (a loopback address) that closes the connection after the answer. */
  private static Socket ask(int port, String path, String source) throws Exception {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(source, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(60_000);
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .getBytes(US_ASCII));
    return socket;
  }

  /** The body of a 200 answer read to the end of the connection. */
  private static byte[] bodyOf(Socket socket) throws Exception {
    try (socket; InputStream in = socket.getInputStream()) {
      byte[] answer = in.readAllBytes();
      String head = new String(answer, US_ASCII);
      int end = head.indexOf("\r\n\r\n");
      assertThat(head).startsWith("HTTP/1.1 200 ");
      return Arrays.copyOfRange(answer, end + 4, answer.length);
    }
  }
}
