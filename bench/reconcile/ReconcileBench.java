import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ironcore.boot.api.metal.NetworkInterface;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.config.ReconcileTiming;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryAllowList;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.oci.RegistrySettings;
import dev.ironcore.boot.reconcile.JsonPatchStatusWriter;
import dev.ironcore.boot.reconcile.sbc.BootImages;
import dev.ironcore.boot.testing.ControllerHarness;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 1,000 Server + ServerBootConfiguration pairs over 10 images in a real local registry, reconciled by
 * the production controllers (default timing) against the CRUD mock API: time until every SBC is
 * Ready, and manifest fetches per image from the registry's access log (target: < 60 s; at most one
 * fetch per distinct image and tag per resync period).
 */
public class ReconcileBench {
  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path dir = Files.createTempDirectory("reconcile-bench");
    try (TestRegistry registry = TestRegistry.anonymous(dir); MockCluster cluster = new MockCluster();
        KubernetesClient client = cluster.newClient()) {
      pushImages(new ImagePusher(registry), images);
      RegistrySettings settings = RegistrySettings.defaults().withAllowedRegistries(List.of(registry.host()));
      ManifestResolver resolver = new ManifestResolver(new RegistryClient(settings), settings, Clock.systemUTC());
      BootImages bootImages = new BootImages(resolver, new RegistryAllowList(settings), "amd64",
          Set.of(BootMethod.PXE, BootMethod.HTTP));
      try (ControllerHarness controllers = new ControllerHarness(client, ReconcileTiming.DEFAULT,
          new JsonPatchStatusWriter(client), bootImages)) {
        client.resource(Fixtures.secret("ignition", Map.of("ignition", "{\"ignition\":{\"version\":\"3.3.0\"}}"))).create();
        long start = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
          createPair(client, i, registry.host() + "/os/image-" + (i % images) + ":1.0");
        }
        double created = seconds(start);
        int ready = awaitReady(client, pairs, Duration.ofSeconds(120));
        double total = seconds(start);
        System.out.printf("%d SBCs created in %.1f s; %d/%d Ready after %.1f s (target < 60 s)%n",
            pairs, created, ready, pairs, total);
        for (int i = 0; i < images; i++) {
          String repo = "os/image-" + i;
          long fetches = registry.accessLog().stream().filter(l -> l.contains("GET /v2/" + repo + "/manifests/1.0 ")).count();
          System.out.printf("  %s:1.0 manifest fetched %d time(s)%n", repo, fetches);
        }
      }
    }
  }

  private static void pushImages(ImagePusher pusher, int images) throws Exception {
    for (int i = 0; i < images; i++) {
      String repo = "os/image-" + i;
      pusher.image(repo, "1.0", List.of(
          pusher.layer(repo, LayerMediaTypes.KERNEL, ("kernel " + i).getBytes(UTF_8)),
          pusher.layer(repo, LayerMediaTypes.INITRAMFS, ("initrd " + i).getBytes(UTF_8)),
          pusher.layer(repo, LayerMediaTypes.SQUASHFS, ("root " + i).getBytes(UTF_8)),
          pusher.layer(repo, LayerMediaTypes.UKI, ("uki " + i).getBytes(UTF_8))));
    }
  }

  private static void createPair(KubernetesClient client, int i, String image) {
    String name = "machine-" + i;
    Server server = Fixtures.server(name, null, null, "Available");
    server.getSpec().setSystemUUID(String.format("4c4c4544-0000-0000-0000-%012x", i));
    NetworkInterface nic = new NetworkInterface();
    nic.setIp(String.format("10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255));
    nic.setMacAddress(String.format("aa:bb:cc:%02x:%02x:%02x", (i >> 16) & 255, (i >> 8) & 255, i & 255));
    server.getStatus().setNetworkInterfaces(List.of(nic));
    Server stored = client.resource(server).create();
    stored.setStatus(server.getStatus());
    client.resource(stored).updateStatus();
    ServerBootConfiguration sbc = Fixtures.sbc(name, name);
    sbc.getSpec().setImage(image);
    sbc.getSpec().setIgnitionSecretRef(Fixtures.ref("ignition"));
    client.resource(sbc).create();
  }

  private static int awaitReady(KubernetesClient client, int pairs, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    int ready = 0;
    while (System.nanoTime() < deadline) {
      ready = (int) client.resources(ServerBootConfiguration.class).inNamespace(Fixtures.NAMESPACE).list().getItems()
          .stream().filter(s -> s.getStatus() != null && "Ready".equals(s.getStatus().getState())).count();
      if (ready == pairs) {
        break;
      }
      Thread.sleep(250);
    }
    return ready;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
