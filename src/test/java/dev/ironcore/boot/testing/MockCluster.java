package dev.ironcore.boot.testing;

import dev.ironcore.boot.embedded.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * fabric8's CRUD mock API on loopback with the CRDs read from {@code k8s/} (so the manifests
 * themselves are exercised): ours from k8s/crd, the metal stand-ins from k8s/embedded.
 */
public final class MockCluster implements AutoCloseable {
  static final List<Path> CRDS = List.of(
      Path.of("k8s/crd/ipxebootconfigs.boot.ironcore.dev-v1.yml"),
      Path.of("k8s/crd/httpbootconfigs.boot.ironcore.dev-v1.yml"),
      Path.of("k8s/embedded/servers.metal.ironcore.dev-v1.yml"),
      Path.of("k8s/embedded/serverbootconfigurations.metal.ironcore.dev-v1.yml"));

  private final KubernetesMockServer server;

  public MockCluster() {
    this(EmbeddedCluster.startApiServer());
  }

  /** The mock API answering through {@code dispatcher} (a CRUD dispatcher a test makes misbehave). */
  public MockCluster(KubernetesCrudDispatcher dispatcher) {
    this(startApiServer(dispatcher));
  }

  private MockCluster(KubernetesMockServer server) {
    this.server = server;
    try (KubernetesClient client = newClient()) {
      for (Path crd : CRDS) {
        try (InputStream in = Files.newInputStream(crd)) {
          client.apiextensions().v1().customResourceDefinitions()
              .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
              .create();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KubernetesMockServer startApiServer(KubernetesCrudDispatcher dispatcher) {
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** A new client of this API server; the caller closes it. */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** A new client of this API server with {@code customizer} applied to its builder; the caller closes it. */
  public KubernetesClient newClient(Consumer<KubernetesClientBuilder> customizer) {
    return server.createClient(customizer);
  }

  /** Where the API server listens (for a relay in front of it). */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
  }

  /** The paths (with query) of the requests received since the last call, oldest first. */
  public List<String> takeRequestPaths() throws InterruptedException {
    List<String> paths = new ArrayList<>();
    for (RecordedRequest request = server.takeRequest(50, TimeUnit.MILLISECONDS); request != null;
        request = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
      paths.add(request.getPath());
    }
    return paths;
  }

  @Override
  public void close() {
    server.destroy();
  }
}
