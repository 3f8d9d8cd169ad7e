package dev.ironcore.boot.reconcile.sbc;

import static dev.ironcore.boot.testing.Fixtures.NAMESPACE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.NetworkInterface;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.config.ReconcileTiming;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryAllowList;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.oci.RegistrySettings;
import dev.ironcore.boot.reconcile.JsonPatchStatusWriter;
import dev.ironcore.boot.testing.ControllerHarness;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.TcpRelay;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The SBC tests' world: the CRUD mock API, every controller with millisecond retries, and a real
 * registry the SBCs' images are pushed to. The controllers reach the API through a relay the test
 * can cut; the test's own client goes straight to it. A test may interpose once before the next
 * status write, or before the controllers' next request of some kind.
 */
final class SbcWorld implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String IGNITION = "{\"ignition\":{\"version\":\"3.3.0\"}}";
  private static final ReconcileTiming FAST =
      new ReconcileTiming(Duration.ofMillis(20), 1.5, Duration.ofMillis(200), Duration.ofMinutes(10));

  final MockCluster cluster = new MockCluster();
  /** The test's client: the rest of the world, which still reaches the API while the controllers' link is cut. */
  final KubernetesClient client = cluster.newClient();
  /** The controllers' only way to the API server. */
  final TcpRelay apiLink;
  private final KubernetesClient controllersClient;
  private final AtomicReference<Interference> beforeNextRequest = new AtomicReference<>();
  final TestRegistry registry;
  final ImagePusher pusher;
  final ControllerHarness harness;
  /** Runs once, just before the next status write (to make it conflict). */

  SbcWorld(TestRegistry registry) throws Exception {
    this.registry = registry;
    this.pusher = new ImagePusher(registry);
    RegistrySettings settings = RegistrySettings.defaults().withAllowedRegistries(List.of(registry.host()))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    ManifestResolver resolver = new ManifestResolver(new RegistryClient(settings), settings, Clock.systemUTC());
    BootImages images = new BootImages(resolver, new RegistryAllowList(settings), "amd64",
        Set.of(BootMethod.PXE, BootMethod.HTTP));
    apiLink = new TcpRelay(cluster.address());
    // a dropped watch comes back within milliseconds instead of fabric8's default second
    controllersClient = cluster.newClient(builder -> builder
        .editOrNewConfig().withMasterUrl(apiLink.url()).withWatchReconnectInterval(50).endConfig()
        .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("interference", interceptor())));
    harness = new ControllerHarness(controllersClient, FAST,
        new JsonPatchStatusWriter(controllersClient), images);
  }

  /**
   * Runs {@code interference} once, just before the controllers send their next {@code method}
   * request to a path ending in {@code pathEnd} (someone else's write between their read and theirs).
   */
  void beforeNextRequest(String method, String pathEnd, Runnable interference) {
    beforeNextRequest.set(new Interference(method, pathEnd, interference));
  }

  private record Interference(String method, String pathEnd, Runnable action) {
    boolean matches(HttpRequest request) {
      return method.equals(request.method()) && request.uri().getPath().endsWith(pathEnd);
    }
  }

  private Interceptor interceptor() {
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        Interference interference = beforeNextRequest.get();
        if (interference != null && interference.matches(request)
            && beforeNextRequest.compareAndSet(interference, null)) {
          interference.action().run();
        }
      }
    };
  }

  Descriptor layer(String repository, String mediaType, String content) throws Exception {
    return pusher.layer(repository, mediaType, content.getBytes(UTF_8));
  }

  String image(String repository, String tag) {
    return registry.host() + "/" + repository + ":" + tag;
  }

  /** A Server with a UUID and two NICs, one listing several IPs. */
  Server createServer(String name) {
    Server server = Fixtures.server(name, null, null, "Available");
    server.getSpec().setSystemUUID("4c4c4544-0000-0000-0000-" + String.format("%012x", name.hashCode() & 0xffffffffL));
    NetworkInterface nic = new NetworkInterface();
    nic.setIps(List.of("10.0.0.1", "fd00::1"));
    nic.setMacAddress("aa:bb:cc:00:00:01");
    server.getStatus().setNetworkInterfaces(List.of(nic));
    Server created = client.resource(server).create();
    created.setStatus(server.getStatus()); // status is a subresource: create ignores it
    return client.resource(created).updateStatus();
  }

  /** An SBC for the Server {@code name} booting {@code image}, with an Ignition Secret that exists. */
  ServerBootConfiguration createSbc(String name, String image) {
    client.resource(Fixtures.secret(name, Map.of("ignition", IGNITION))).create();
    ServerBootConfiguration sbc = Fixtures.sbc(name, name);
    sbc.getSpec().setImage(image);
    sbc.getSpec().setIgnitionSecretRef(Fixtures.ref(name));
    return client.resource(sbc).create();
  }

  /** Points the SBC {@code name} at another image, as someone editing it would. */
  void changeImage(String name, String image) {
    client.resources(ServerBootConfiguration.class).inNamespace(NAMESPACE).withName(name).edit(sbc -> {
      sbc.getSpec().setImage(image);
      return sbc;
    });
  }

  ServerBootConfiguration sbc(String name) {
    return client.resources(ServerBootConfiguration.class).inNamespace(NAMESPACE).withName(name).get();
  }

  IPXEBootConfig ipxe(String name) {
    return client.resources(IPXEBootConfig.class).inNamespace(NAMESPACE).withName(name).get();
  }

  HTTPBootConfig http(String name) {
    return client.resources(HTTPBootConfig.class).inNamespace(NAMESPACE).withName(name).get();
  }

  void awaitSbc(String name, Consumer<BootConfigStatus> assertion) {
    await().atMost(WAIT).untilAsserted(() -> {
      ServerBootConfiguration sbc = sbc(name);
      assertThat(sbc.getStatus()).as("status of SBC " + name).isNotNull();
      assertion.accept(sbc.getStatus());
    });
  }

  void awaitState(String name, String state) {
    awaitSbc(name, status -> assertThat(status.getState()).isEqualTo(state));
  }

  @Override
  public void close() throws Exception {
    harness.close();
    controllersClient.close();
    apiLink.close();
    client.close();
    cluster.close();
  }
}
