package dev.ironcore.boot.testing;

import dev.ironcore.boot.BootApplication;
import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.config.SettingsSource;
import dev.ironcore.boot.embedded.ClusterConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.test.AvailablePortFinder;
import org.awaitility.Awaitility;

/** The whole service on free loopback ports, against a given cluster, called over real HTTP. */
public final class BootServiceUnderTest implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final BootApplication app;
  private final int bootPort;
  private final int imagePort;
  private final int healthPort;
  private final int metricsPort;
  /** The blob cache directory this harness made, deleted on close; null when the test gave its own. */
  private final Path ownCacheDir;

  private BootServiceUnderTest(BootApplication app, Map<String, String> ports, Path ownCacheDir) {
    this.app = app;
    this.ownCacheDir = ownCacheDir;
    this.bootPort = port(ports, "boot.boot-server-address");
    this.imagePort = port(ports, "boot.image-proxy-server-address");
    this.healthPort = port(ports, "boot.health-probe-bind-address");
    this.metricsPort = port(ports, "boot.metrics-bind-address");
  }

  /** Starts the service against {@code cluster} (null: let the settings decide, e.g. embedded). */
  public static BootServiceUnderTest start(ClusterConnection cluster, Map<String, String> properties)
      throws Exception {
    return start(cluster, properties, "127.0.0.1");
  }

  /** As {@link #start(ClusterConnection, Map)}, listening on {@code loopback} (127.0.0.1, or [::1] for IPv6). */
  public static BootServiceUnderTest start(ClusterConnection cluster, Map<String, String> properties, String loopback)
      throws Exception {
    Map<String, String> all = new HashMap<>(properties);
    Map<String, String> ports = new HashMap<>();
    for (String key : new String[] {"boot.boot-server-address", "boot.image-proxy-server-address",
        "boot.health-probe-bind-address", "boot.metrics-bind-address"}) {
      ports.put(key, loopback + ":" + AvailablePortFinder.getNextAvailable());
    }
    all.putAll(ports);
    all.putIfAbsent("boot.ipxe-service-url", "http://" + ports.get("boot.boot-server-address"));
    // plain /metrics for the tests that read meters; SecureMetricsTest serves them as a cluster would
    all.putIfAbsent("boot.metrics-secure", "false");
    // Never the production default under /var/cache: each service under test caches in its own temp dir.
    Path ownCacheDir = null;
    if (!all.containsKey("boot.blob-cache-dir")) {
      ownCacheDir = Files.createTempDirectory("blob-cache");
      all.put("boot.blob-cache-dir", ownCacheDir.toString());
    }
    try {
      BootApplication app = cluster == null
          ? BootApplication.create(all)
          : BootApplication.create(BootSettings.from(new SettingsSource(Map.of(), all), key -> null), cluster);
      return new BootServiceUnderTest(app.start(), ports, ownCacheDir);
    } catch (Exception | Error refused) { // a test that expects the start to fail: nothing will close it
      deleteTree(ownCacheDir);
      throw refused;
    }
  }

  /** {@link #start}, then waits (at most 10 s) until its informers have listed the cluster. */
  public static BootServiceUnderTest startSynced(ClusterConnection cluster, Map<String, String> properties)
      throws Exception {
    return awaitSynced(start(cluster, properties));
  }

  /** Waits (at most 10 s) until the service's informers have listed the cluster. */
  public static BootServiceUnderTest awaitSynced(BootServiceUnderTest service) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> service.app().index().hasSynced());
    return service;
  }

  public BootApplication app() {
    return app;
  }

  public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    return send(bootPort, "GET", path, headers);
  }

  public HttpResponse<String> send(int port, String method, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public int bootPort() {
    return bootPort;
  }

  public int imagePort() {
    return imagePort;
  }

  public int healthPort() {
    return healthPort;
  }

  public int metricsPort() {
    return metricsPort;
  }

  /** The Prometheus text of /metrics. */
  public String metricsText() throws IOException, InterruptedException {
    return send(metricsPort, "GET", "/metrics").body();
  }

  /** The sum of a metric's samples whose labels include every given value, from /metrics; 0 when there is none. */
  public double metric(String name, String... labelValues) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : metricsText().lines().toList()) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        boolean matches = true;
        for (String value : labelValues) {
          matches &= line.contains("\"" + value + "\"");
        }
        if (matches) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }

  @Override
  public void close() throws Exception {
    app.stop();
    deleteTree(ownCacheDir);
  }

  /** Deletes {@code root} and everything under it; null: nothing to delete. */
  private static void deleteTree(Path root) throws IOException {
    if (root == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static int port(Map<String, String> ports, String key) {
    String value = ports.get(key);
    return Integer.parseInt(value.substring(value.lastIndexOf(':') + 1));
  }
}
