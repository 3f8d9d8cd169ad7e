import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The API server of bench/secrets-memory.sh, in its own JVM: fabric8's CRUD mock on 127.0.0.1 with
 * our CRDs (k8s/crd, k8s/embedded), the objects of k8s/samples, and {@code count} Secrets of
 * {@code kib} KiB of random data each that no boot config references, in namespace default like
 * the samples (as Helm keeps its releases next to the apps); and {@code referenced} IPXEBootConfigs,
 * each naming an Ignition Secret of its own (to see what watching many Secrets costs). Writes a
 * kubeconfig for it, prints {@code READY <url>} and serves until killed.
 *
 * <p>Arguments: count kib kubeconfig-path [referenced]
 */
public class SecretsApiServer {
  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    int kib = Integer.parseInt(args[1]);
    Path kubeconfig = Path.of(args[2]);
    int referenced = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    MockCluster cluster = new MockCluster();
    try (KubernetesClient client = cluster.newClient()) {
      applySamples(client, Path.of("k8s/samples"));
      long start = System.nanoTime();
      IntStream.range(0, count).parallel().forEach(i -> client.resource(helmRelease(i, kib)).create());
      System.out.printf("created %d Secrets of %d KiB in %.1f s%n", count, kib, (System.nanoTime() - start) / 1e9);
      IntStream.range(0, referenced).parallel().forEach(i -> {
        client.resource(new SecretBuilder().withNewMetadata().withName("bench-ignition-" + i).withNamespace("default")
            .endMetadata().addToStringData("ignition", "{\"ignition\":{\"version\":\"3.3.0\"}}").build()).create();
        client.resource(machine(i)).create();
      });
      System.out.printf("created %d IPXEBootConfigs, each referencing a Secret of its own%n", referenced);
    }
    String url = "http://127.0.0.1:" + cluster.address().getPort();
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
          - name: bench
            cluster:
              server: %s
        contexts:
          - name: bench
            context: {cluster: bench, user: bench, namespace: default}
        current-context: bench
        users:
          - name: bench
            user: {token: bench}
        """.formatted(url));
    System.out.println("READY " + url);
    new CountDownLatch(1).await();
  }

  private static void applySamples(KubernetesClient client, Path samples) throws Exception {
    List<Path> files;
    try (Stream<Path> listing = Files.list(samples)) {
      files = listing.filter(file -> file.toString().endsWith(".yaml"))
          .filter(file -> !file.getFileName().toString().startsWith("kustomization")).sorted().toList();
    }
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata object : client.load(in).items()) {
          client.resource(object).create();
        }
      }
    }
  }

  private static IPXEBootConfig machine(int index) {
    IPXEBootConfig config = Fixtures.ipxeConfig("bench-machine-" + index, new UUID(0xbec0ffeeL, index).toString(),
        "http://127.0.0.1/kernel", "http://127.0.0.1/initrd", "http://127.0.0.1/squashfs");
    config.getSpec().setIgnitionSecretRef(new LocalObjectReference("bench-ignition-" + index));
    return config;
  }

  /** A Secret shaped like a Helm release: one key of compressed-looking (random) bytes. */
  private static Secret helmRelease(int index, int kib) {
    byte[] release = new byte[kib * 1024];
    new Random(index).nextBytes(release);
    return new SecretBuilder()
        .withNewMetadata().withName("sh.helm.release.v1.app-" + index + ".v1").withNamespace("default")
        .addToLabels("owner", "helm").endMetadata()
        .withType("helm.sh/release.v1")
        .addToData("release", Base64.getEncoder().encodeToString(release))
        .build();
  }
}
