package dev.ironcore.boot.reconcile.sbc;

import static dev.ironcore.boot.testing.ControllerHarness.IMAGE_SERVER_URL;
import static dev.ironcore.boot.testing.ControllerHarness.IPXE_SERVICE_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.NetworkInterface;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.imageproxy.BlobRequest;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ImageReference;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an SBC turns into for each kind of image, against the CRUD mock API and a real registry. */
class ServerBootConfigControllerMockTest {
  @TempDir static Path dir;
  private static TestRegistry registry;
  private SbcWorld world;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = TestRegistry.anonymous(dir);
  }

  @AfterAll
  static void stopRegistry() throws InterruptedException {
    registry.close();
  }

  @BeforeEach
  void start() throws Exception {
    world = new SbcWorld(registry);
  }

  @AfterEach
  void stop() throws Exception {
    world.close();
  }

  @Test
  void aMultiArchIndexWithADecoyFirstGivesBothConfigsFromTheRightManifests() throws Exception {
    // Given an index: arm64 PXE decoy first, an amd64 UKI flavour, then amd64 PXE with Garden Linux's old types
    String repo = "os/multiarch";
    Descriptor armKernel = world.layer(repo, LayerMediaTypes.KERNEL, "arm64 kernel");
    Descriptor arm = world.pusher.image(repo, null, List.of(armKernel, world.layer(repo, LayerMediaTypes.INITRAMFS, "arm initrd")));
    Descriptor uki = world.layer(repo, LayerMediaTypes.UKI, "amd64 uki");
    Descriptor kvm = world.pusher.image(repo, null, List.of(uki));
    Descriptor kernel = world.layer(repo, LayerMediaTypes.GARDENLINUX_KERNEL, "amd64 kernel");
    Descriptor initrd = world.layer(repo, LayerMediaTypes.GARDENLINUX_INITRD, "amd64 initrd");
    Descriptor squashfs = world.layer(repo, LayerMediaTypes.GARDENLINUX_SQUASHFS, "amd64 root");
    Descriptor pxe = world.pusher.image(repo, null, List.of(kernel, initrd, squashfs));
    world.pusher.index(repo, "1877.0", List.of(
        ImagePusher.platformEntry(arm, "arm64", Map.of("cname", "metal_pxe_arm64", "architecture", "arm64")),
        ImagePusher.platformEntry(kvm, "amd64", Map.of("cname", "kvm_amd64", "architecture", "amd64")),
        ImagePusher.platformEntry(pxe, "amd64", Map.of("cname", "metal_pxe_amd64", "architecture", "amd64"))));
    Server server = world.createServer("multi");

    // When
    ServerBootConfiguration sbc = world.createSbc("multi", world.image(repo, "1877.0"));

    // Then
    world.awaitState("multi", "Ready");
    IPXEBootConfig ipxe = world.ipxe("multi");
    String name = URLs.encode(registry.host() + "/" + repo);
    assertThat(ipxe.getSpec().getKernelURL()).isEqualTo(IPXE_SERVICE_URL + "/image?imageName=" + name
        + "&layerDigest=" + URLs.encode(kernel.digest()) + "&version=1877.0");
    assertThat(ipxe.getSpec().getInitrdURL()).contains(URLs.encode(initrd.digest()));
    assertThat(ipxe.getSpec().getSquashfsURL()).contains(URLs.encode(squashfs.digest()));
    assertThat(ipxe.getSpec().getSystemUUID()).isEqualTo(server.getSpec().getSystemUUID());
    assertThat(ipxe.getSpec().getSystemIPs()).containsExactly("10.0.0.1", "fd00::1");
    assertThat(ipxe.getSpec().getIgnitionSecretRef().getName()).isEqualTo("multi");
    HTTPBootConfig http = world.http("multi");
    assertThat(http.getSpec().getUkiURL()).isEqualTo(IMAGE_SERVER_URL + "/" + registry.host() + "/" + repo
        + "/" + uki.digest().replace(':', '-') + ".efi");
    assertThat(http.getSpec().getNetworkIdentifiers()).containsExactly("10.0.0.1", "fd00::1", "aa:bb:cc:00:00:01");
    assertControlledBy(ipxe.getMetadata().getOwnerReferences(), sbc);
    assertControlledBy(http.getMetadata().getOwnerReferences(), sbc);
    assertThat(Conditions.find(world.sbc("multi").getStatus().getConditions(), "IgnitionSecretReady").getStatus())
        .isEqualTo("True");
  }

  @Test
  void aPxeOnlyImageWithoutSquashfsIsReadyWithOnlyAnIpxeConfig() throws Exception {
    String repo = "os/pxe-only";
    world.pusher.image(repo, "1.0", List.of(world.layer(repo, LayerMediaTypes.KERNEL, "k"),
        world.layer(repo, LayerMediaTypes.INITRAMFS, "i")));
    world.createServer("pxe-only");

    world.createSbc("pxe-only", world.image(repo, "1.0"));

    world.awaitState("pxe-only", "Ready");
    assertThat(world.ipxe("pxe-only").getSpec().getSquashfsURL()).isNull();
    assertThat(world.http("pxe-only")).isNull();
  }

  @Test
  void aUkiOnlyImageIsReadyWithOnlyAnHttpConfig() throws Exception {
    String repo = "os/uki-only";
    Descriptor uki = world.layer(repo, LayerMediaTypes.UKI, "uki");
    world.pusher.image(repo, "1.0", List.of(uki));
    world.createServer("uki-only");

    world.createSbc("uki-only", world.image(repo, "1.0"));

    world.awaitState("uki-only", "Ready");
    assertThat(world.http("uki-only").getSpec().getUkiURL()).endsWith(uki.digest().replace(':', '-') + ".efi");
    assertThat(world.ipxe("uki-only")).isNull();
  }

  @Test
  void aDigestPinnedReferenceGivesImageUrlsThatRoundTripToThePinnedManifest() throws Exception {
    // Given an image pushed by digest only
    String repo = "os/pinned";
    Descriptor kernel = world.layer(repo, LayerMediaTypes.KERNEL, "pinned kernel");
    Descriptor manifest = world.pusher.image(repo, null, List.of(kernel, world.layer(repo, LayerMediaTypes.INITRAMFS, "i")));
    world.createServer("pinned");

    // When
    world.createSbc("pinned", registry.host() + "/" + repo + "@" + manifest.digest());

    // Then the kernel URL parses back (as the image proxy parses it) to the pinned manifest and the layer
    world.awaitState("pinned", "Ready");
    BlobRequest request = BlobRequest.fromImageQuery(URI.create(world.ipxe("pinned").getSpec().getKernelURL()).getRawQuery());
    assertThat(request.imageName()).isEqualTo(registry.host() + "/" + repo);
    assertThat(request.version()).isEqualTo(manifest.digest());
    assertThat(request.layerDigest().toString()).isEqualTo(kernel.digest());
    assertThat(ImageReference.of(request.imageName(), request.version()).manifestReference()).isEqualTo(manifest.digest());
  }

  @Test
  void aChangedServerUpdatesItsConfigs() throws Exception {
    // Given a Ready SBC
    String repo = "os/moving";
    world.pusher.image(repo, "1.0", List.of(world.layer(repo, LayerMediaTypes.UKI, "uki")));
    Server server = world.createServer("moving");
    world.createSbc("moving", world.image(repo, "1.0"));
    world.awaitState("moving", "Ready");

    // When its Server gets another NIC
    NetworkInterface nic = new NetworkInterface();
    nic.setIp("10.0.9.9");
    nic.setMacAddress("aa:bb:cc:00:00:09");
    world.client.resources(Server.class).withName("moving").editStatus(s -> {
      s.getStatus().setNetworkInterfaces(List.of(s.getStatus().getNetworkInterfaces().get(0), nic));
      return s;
    });

    // Then
    await().atMost(SbcWorld.WAIT).untilAsserted(() -> assertThat(world.http("moving").getSpec().getNetworkIdentifiers())
        .contains("10.0.9.9", "aa:bb:cc:00:00:09"));
    assertThat(server.getSpec().getSystemUUID()).isEqualTo(world.http("moving").getSpec().getSystemUUID());
  }

  @Test
  void anImageThatNoLongerOffersPxeLosesItsIpxeConfig() throws Exception {
    // Given a Ready SBC whose image offered PXE and a UKI
    String repo = "os/dropping-pxe";
    world.pusher.image(repo, "1.0", List.of(world.layer(repo, LayerMediaTypes.KERNEL, "k"),
        world.layer(repo, LayerMediaTypes.INITRAMFS, "i"), world.layer(repo, LayerMediaTypes.UKI, "uki 1")));
    Descriptor uki = world.layer(repo, LayerMediaTypes.UKI, "uki 2");
    world.pusher.image(repo, "2.0", List.of(uki));
    world.createServer("dropping-pxe");
    world.createSbc("dropping-pxe", world.image(repo, "1.0"));
    world.awaitState("dropping-pxe", "Ready");
    assertThat(world.ipxe("dropping-pxe")).isNotNull();

    // When it moves to an image with only a UKI
    world.changeImage("dropping-pxe", world.image(repo, "2.0"));

    // Then its IPXEBootConfig is deleted, and its HTTPBootConfig points at the new UKI
    await().atMost(SbcWorld.WAIT).untilAsserted(() -> assertThat(world.ipxe("dropping-pxe")).isNull());
    await().atMost(SbcWorld.WAIT).untilAsserted(() -> assertThat(world.http("dropping-pxe").getSpec().getUkiURL())
        .endsWith(uki.digest().replace(':', '-') + ".efi"));
    world.awaitState("dropping-pxe", "Ready");
  }

  @Test
  void anImageThatNoLongerOffersAUkiLosesItsHttpConfig() throws Exception {
    String repo = "os/dropping-uki";
    world.pusher.image(repo, "1.0", List.of(world.layer(repo, LayerMediaTypes.KERNEL, "k"),
        world.layer(repo, LayerMediaTypes.INITRAMFS, "i"), world.layer(repo, LayerMediaTypes.UKI, "uki")));
    world.pusher.image(repo, "2.0", List.of(world.layer(repo, LayerMediaTypes.KERNEL, "k"),
        world.layer(repo, LayerMediaTypes.INITRAMFS, "i")));
    world.createServer("dropping-uki");
    world.createSbc("dropping-uki", world.image(repo, "1.0"));
    world.awaitState("dropping-uki", "Ready");
    assertThat(world.http("dropping-uki")).isNotNull();

    world.changeImage("dropping-uki", world.image(repo, "2.0"));

    await().atMost(SbcWorld.WAIT).untilAsserted(() -> assertThat(world.http("dropping-uki")).isNull());
    await().atMost(SbcWorld.WAIT).untilAsserted(() ->
        assertThat(world.ipxe("dropping-uki").getSpec().getKernelURL()).contains("version=2.0"));
    world.awaitState("dropping-uki", "Ready");
  }

  @Test
  void aConfigNamedLikeTheSbcButControlledBySomeoneElseIsNotDeleted() throws Exception {
    // Given an IPXEBootConfig named like the SBC that another owner controls
    String repo = "os/foreign";
    world.pusher.image(repo, "1.0", List.of(world.layer(repo, LayerMediaTypes.UKI, "uki")));
    world.client.resource(Fixtures.ownedBy(Fixtures.ipxeConfig("foreign", "4c4c4544-0000-0000-0000-0000000f0e19",
        "http://kernel", "http://initrd", null), "someone-else")).create();
    world.createServer("foreign");

    // When the SBC's image offers only a UKI
    world.createSbc("foreign", world.image(repo, "1.0"));

    // Then the SBC is Ready (every reconcile that got there also judged the IPXEBootConfig), which is still there
    world.awaitState("foreign", "Ready");
    assertThat(world.ipxe("foreign").getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getUid()).isEqualTo("uid-someone-else"));
  }

  private static void assertControlledBy(List<OwnerReference> owners, ServerBootConfiguration sbc) {
    assertThat(owners).singleElement().satisfies(owner -> {
      assertThat(owner.getApiVersion()).isEqualTo("metal.ironcore.dev/v1alpha1");
      assertThat(owner.getKind()).isEqualTo("ServerBootConfiguration");
      assertThat(owner.getName()).isEqualTo(sbc.getMetadata().getName());
      assertThat(owner.getUid()).isEqualTo(sbc.getMetadata().getUid()).isNotBlank();
      assertThat(owner.getController()).isTrue();
      assertThat(owner.getBlockOwnerDeletion()).isTrue();
    });
  }

  /** Query encoding as the image proxy expects it. */
  private static final class URLs {
    static String encode(String value) {
      return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
