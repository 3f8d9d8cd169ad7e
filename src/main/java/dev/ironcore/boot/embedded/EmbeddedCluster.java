package dev.ironcore.boot.embedded;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Kubernetes API (fabric8's CRUD mock server) on loopback, with our CRDs and the
 * metal stand-in CRDs installed and a manifest directory applied and watched. The service then
 * runs exactly its production code against it.
 */
public class EmbeddedCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final ManifestDirectory manifests;
  private final Thread watcher;

  private EmbeddedCluster(KubernetesMockServer server, KubernetesClient client, ManifestDirectory manifests) {
    this.server = server;
    this.client = client;
    this.manifests = manifests;
    this.watcher = new Thread(this::watchManifests, "embedded-manifest-watcher");
    this.watcher.setDaemon(true);
  }

  /** Starts the API server, installs the CRDs, applies the directory and starts watching it. */
  public static EmbeddedCluster start(Path manifestsDir) throws IOException {
    KubernetesMockServer server = startApiServer();
    KubernetesClient client = server.createClient();
    installCrds(client);
    EmbeddedCluster cluster = new EmbeddedCluster(server, client, new ManifestDirectory(client, manifestsDir));
    cluster.manifests.sync();
    cluster.watcher.start();
    LOG.info("Embedded Kubernetes API on {} serving manifests from {}", server.url("/"),
        manifestsDir.toAbsolutePath());
    return cluster;
  }

  /**
   * fabric8's mock API server in CRUD mode, plain HTTP on a free loopback port (tests use it too),
   * whose resumed watches expire rather than miss a deletion (see {@link ExpiringWatchCrudDispatcher}).
   */
  public static KubernetesMockServer startApiServer() {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new ExpiringWatchCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  public KubernetesClient client() {
    return client;
  }

  public String apiUrl() {
    return server.url("/");
  }

  private static void installCrds(KubernetesClient client) throws IOException {
    List<String> resources = new ArrayList<>(CrdManifests.BOOT);
    resources.addAll(CrdManifests.METAL_STAND_INS);
    for (String resource : resources) {
      try (InputStream in = EmbeddedCluster.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("CRD manifest " + resource + " missing from the class path");
        }
        for (var item : client.load(in).items()) {
          client.apiextensions().v1().customResourceDefinitions().resource((CustomResourceDefinition) item).create();
        }
      }
    }
  }

  private void watchManifests() {
    Path dir = manifests.directory();
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      while (!Thread.currentThread().isInterrupted()) {
        forgetRecordedRequests();
        var key = watch.poll(1, TimeUnit.SECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
          TimeUnit.MILLISECONDS.sleep(100); // let an editor finish writing before reading
          manifests.sync();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Watching {} stopped: {}", dir, e.getMessage());
    }
  }

  /** The mock server records every request for test assertions; a long-running service must drop them. */
  private void forgetRecordedRequests() throws InterruptedException {
    while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
      // dropped
    }
  }

  @Override
  public void close() {
    watcher.interrupt();
    client.close();
    server.destroy();
  }
}
