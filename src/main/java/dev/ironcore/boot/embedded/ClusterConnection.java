package dev.ironcore.boot.embedded;

import dev.ironcore.boot.config.BootSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The cluster the service works against: a real one, or the embedded API in embedded mode. */
public final class ClusterConnection implements AutoCloseable {
  private static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final KubernetesClient client;
  private final EmbeddedCluster embedded;

  private ClusterConnection(KubernetesClient client, EmbeddedCluster embedded) {
    this.client = client;
    this.embedded = embedded;
  }

  public static ClusterConnection open(BootSettings settings, Map<String, String> env) throws IOException {
    if (useEmbedded(settings.cluster(), env)) {
      EmbeddedCluster cluster = EmbeddedCluster.start(settings.manifestsDir());
      return new ClusterConnection(cluster.client(), cluster);
    }
    return new ClusterConnection(new KubernetesClientBuilder().build(), null);
  }

  /** A cluster the caller connected to; closing the connection closes the client. */
  public static ClusterConnection external(KubernetesClient client) {
    return new ClusterConnection(client, null);
  }

  /** Auto mode runs embedded unless the process is in a pod or a kubeconfig is there. */
  static boolean useEmbedded(String mode, Map<String, String> env) {
    return switch (mode) {
      case "embedded" -> true;
      case "kubernetes" -> false;
      default -> !(env.containsKey("KUBERNETES_SERVICE_HOST") && Files.exists(SERVICE_ACCOUNT_TOKEN))
          && !env.containsKey("KUBECONFIG")
          && !Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"));
    };
  }

  public KubernetesClient client() {
    return client;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    } else {
      client.close();
    }
  }
}
