package dev.ironcore.boot.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.ironcore.boot.testing.ConnectionTrap;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Manifests, probes and tokens go to the address their check resolved, one lookup per request, never
 * through another resolver: a name only the test's resolver knows is reached, and a second answer of
 * it is never used. Token bodies come chunked; a body that never ends is cut at the request deadline.
 * Loopback addresses only (127.0.0.2 the registry, 127.0.0.3 a trap that counts what reaches it).
 */
@Timeout(value = 30, unit = SECONDS)
class RegistryHttpAddressTest {
  private static final String MANIFEST = "{\"schemaVersion\":2,\"layers\":[]}";

  @Test
  void probeTokenAndManifestReachTheCheckedAddressAndNoOtherLookupIsMade() throws Exception {
    // Given registry.test on 127.0.0.2 asking for a token from its own host (served chunked), and a trap
    // on 127.0.0.3 at the same port, where the name points once it has been looked up three times
    HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
    int port = registry.getAddress().getPort();
    String host = "registry.test:" + port;
    List<String> requests = new CopyOnWriteArrayList<>();
    registry.createContext("/", exchange -> {
      try (exchange) {
        requests.add(exchange.getRequestHeaders().getFirst("Host") + " " + exchange.getRequestURI().getPath());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/token")) {
          exchange.sendResponseHeaders(200, 0); // no length: chunked
          exchange.getResponseBody().write("{\"token\":\"t1\",\"expires_in\":300}".getBytes(UTF_8));
        } else if ("Bearer t1".equals(authorization) && path.equals("/v2/os/manifests/v1")) {
          byte[] body = MANIFEST.getBytes(UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
        } else {
          exchange.getResponseHeaders().add("WWW-Authenticate",
              "Bearer realm=\"http://" + host + "/token\",service=\"registry.test\"");
          exchange.sendResponseHeaders(401, -1);
        }
      }
    });
    registry.start();
    AtomicInteger lookups = new AtomicInteger();
    HostResolver rebinding = name -> List.of(InetAddress.getByName(lookups.incrementAndGet() <= 3 ? "127.0.0.2" : "127.0.0.3"));
    try (ConnectionTrap trap = new ConnectionTrap(InetAddress.getByName("127.0.0.3"), port)) {
      RegistryClient client = new RegistryClient(insecure(host, Duration.ofSeconds(10)), Clock.systemUTC(), rebinding);

      // When the manifest is fetched
      FetchedManifest manifest = client.fetchManifest(ImageReference.parse(host + "/os:v1"),
          List.of("application/vnd.oci.image.manifest.v1+json")).toCompletableFuture().join();

      // Then probe, token and manifest each came from 127.0.0.2 by name, after one lookup each, and nothing reached 127.0.0.3
      assertThat(new String(manifest.bytes(), UTF_8)).isEqualTo(MANIFEST);
      assertThat(requests).containsExactly(host + " /v2/", host + " /token", host + " /v2/os/manifests/v1");
      assertThat(lookups).hasValue(3);
      assertThat(trap.connections()).isZero();
    } finally {
      registry.stop(0);
    }
  }

  @Test
  void aManifestBodyThatNeverEndsFailsAtTheRequestDeadline() throws Exception {
    // Given a registry that answers the probe, then sends a manifest's head and a byte every 200 ms, for ever
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
      Thread server = new Thread(() -> trickle(listener), "trickling-registry");
      server.setDaemon(true);
      server.start();
      String host = "registry.test:" + listener.getLocalPort();
      HostResolver resolver = name -> List.of(InetAddress.getByName("127.0.0.2"));
      RegistryClient client = new RegistryClient(insecure(host, Duration.ofSeconds(2)), Clock.systemUTC(), resolver);

      // When the manifest is fetched, then it fails as a timeout, naming no more than the registry
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.fetchManifest(ImageReference.parse(host + "/os:v1"), List.of("application/json"))
          .toCompletableFuture().join())
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOfSatisfying(RegistryException.class,
              failure -> assertThat(failure.kind()).isEqualTo(RegistryException.Kind.TIMEOUT));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }
  }

  private static void trickle(ServerSocket listener) {
    while (!listener.isClosed()) {
      try (Socket socket = listener.accept()) {
        String request = new String(socket.getInputStream().readNBytes(16), UTF_8);
        OutputStream out = socket.getOutputStream();
        if (request.startsWith("GET /v2/ ")) {
          out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(UTF_8));
          continue;
        }
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n".getBytes(UTF_8));
        for (int i = 0; i < 1_000_000; i++) {
          out.write(' ');
          out.flush();
          Thread.sleep(200);
        }
      } catch (Exception closed) {
        // the client gave up, or the test is over
      }
    }
  }

  private static RegistrySettings insecure(String host, Duration requestTimeout) {
    return new RegistrySettings(List.of(host), List.of(host), List.of(), Optional.empty(), Duration.ofSeconds(2),
        requestTimeout, Duration.ofMinutes(1), Duration.ofDays(1), 16);
  }
}
