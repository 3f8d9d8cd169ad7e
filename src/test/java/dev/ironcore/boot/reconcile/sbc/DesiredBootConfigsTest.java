package dev.ironcore.boot.reconcile.sbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.NetworkInterface;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.imageproxy.BlobRequest;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ImageReference;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.Fixtures;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DesiredBootConfigsTest {
  private static final String KERNEL = "sha256:" + "a".repeat(64);
  private static final String INITRD = "sha256:" + "b".repeat(64);
  private static final String SQUASHFS = "sha256:" + "c".repeat(64);
  private static final String UKI = "sha256:" + "d".repeat(64);
  private static final String PINNED = "sha256:" + "e".repeat(64);

  private final DesiredBootConfigs desired =
      new DesiredBootConfigs("http://boot.example:8082/", "http://boot.example:8083/httpboot");

  @Test
  void ipxeConfigPointsAtTheLayersThroughTheImageProxyWithSortedEncodedParameters() {
    // Given
    ImageReference image = ImageReference.parse("ghcr.io/ironcore-dev/os-images/gardenlinux:1877.0");

    // When
    IPXEBootConfig config = desired.ipxe(sbc(), server(), image, layers(Optional.of(layer(SQUASHFS))));

    // Then
    assertThat(config.getSpec().getKernelURL()).isEqualTo("http://boot.example:8082/image"
        + "?imageName=ghcr.io%2Fironcore-dev%2Fos-images%2Fgardenlinux&layerDigest=sha256%3A" + "a".repeat(64)
        + "&version=1877.0");
    assertThat(config.getSpec().getInitrdURL()).contains("layerDigest=sha256%3A" + "b".repeat(64));
    assertThat(config.getSpec().getSquashfsURL()).contains("layerDigest=sha256%3A" + "c".repeat(64));
    assertThat(config.getSpec().getSystemUUID()).isEqualTo("4C4C4544-0000-1111-2222-333344445555");
    assertThat(config.getSpec().getSystemIPs()).containsExactly("10.0.0.1", "fd00::1", "10.0.1.1");
    assertThat(config.getSpec().getIgnitionSecretRef().getName()).isEqualTo("node-ignition");
  }

  @Test
  void aDigestPinnedImageUrlRoundTripsThroughTheImageProxyParser() {
    // Given
    ImageReference image = ImageReference.parse("127.0.0.1:5000/os/gardenlinux:1.0@" + PINNED);

    // When
    String url = desired.ipxe(sbc(), server(), image, layers(Optional.empty())).getSpec().getKernelURL();

    // Then the proxy reads back the familiar name, the layer and the pinned manifest
    BlobRequest request = BlobRequest.fromImageQuery(URI.create(url).getRawQuery());
    assertThat(request.imageName()).isEqualTo("127.0.0.1:5000/os/gardenlinux");
    assertThat(request.version()).isEqualTo(PINNED);
    assertThat(request.layerDigest().toString()).isEqualTo(KERNEL);
    assertThat(ImageReference.of(request.imageName(), request.version()).digest()).contains(PINNED);
  }

  @Test
  void withoutSquashfsTheIpxeConfigHasNoSquashfsUrl() {
    ImageReference image = ImageReference.parse("ghcr.io/os/gardenlinux:1.0");

    IPXEBootConfig config = desired.ipxe(sbc(), server(), image, layers(Optional.empty()));

    assertThat(config.getSpec().getSquashfsURL()).isNull();
  }

  @Test
  void httpConfigNamesIpsAndMacsAndTheUkiUnderTheImageServer() {
    ImageReference image = ImageReference.parse("ghcr.io/os/gardenlinux:1.0");

    HTTPBootConfig config = desired.http(sbc(), server(), image, layer(UKI));

    assertThat(config.getSpec().getNetworkIdentifiers())
        .containsExactly("10.0.0.1", "fd00::1", "10.0.1.1", "aa:bb:cc:dd:ee:01", "aa:bb:cc:dd:ee:02");
    assertThat(config.getSpec().getUkiURL())
        .isEqualTo("http://boot.example:8083/httpboot/ghcr.io/os/gardenlinux/sha256-" + "d".repeat(64) + ".efi");
    assertThat(config.getSpec().getIgnitionSecretRef().getName()).isEqualTo("node-ignition");
  }

  @Test
  void childrenAreNamedLikeTheSbcAndControlledByIt() {
    ImageReference image = ImageReference.parse("ghcr.io/os/gardenlinux:1.0");

    HTTPBootConfig config = desired.http(sbc(), server(), image, layer(UKI));

    assertThat(config.getMetadata().getName()).isEqualTo("node-1-boot");
    assertThat(config.getMetadata().getNamespace()).isEqualTo(Fixtures.NAMESPACE);
    OwnerReference owner = config.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getApiVersion()).isEqualTo("metal.ironcore.dev/v1alpha1");
    assertThat(owner.getKind()).isEqualTo("ServerBootConfiguration");
    assertThat(owner.getName()).isEqualTo("node-1-boot");
    assertThat(owner.getUid()).isEqualTo("sbc-uid");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
  }

  @Test
  void aConfigForAMethodTheImageNoLongerOffersIsObsoleteWhenThisSbcControlsIt() {
    // Given an image that now offers only a UKI, and both configs made by this SBC
    ImageOffer ukiOnly = offer(Set.of(BootMethod.PXE, BootMethod.HTTP), Optional.empty(), Optional.of(layer(UKI)));
    IPXEBootConfig ipxe = controlled(new IPXEBootConfig(), "sbc-uid");
    HTTPBootConfig http = controlled(new HTTPBootConfig(), "sbc-uid");

    // When
    List<HasMetadata> obsolete = DesiredBootConfigs.obsolete(sbc(), ukiOnly,
        Map.of(BootMethod.PXE, ipxe, BootMethod.HTTP, http));

    // Then only the IPXEBootConfig goes; the other way round only the HTTPBootConfig
    assertThat(obsolete).containsExactly(ipxe);
    ImageOffer pxeOnly = offer(Set.of(BootMethod.PXE, BootMethod.HTTP), Optional.of(layers(Optional.empty())),
        Optional.empty());
    assertThat(DesiredBootConfigs.obsolete(sbc(), pxeOnly, Map.of(BootMethod.PXE, ipxe, BootMethod.HTTP, http)))
        .containsExactly(http);
  }

  @Test
  void aConfigSomeoneElseControlsOrNoOneControlsIsNeverObsolete() {
    ImageOffer ukiOnly = offer(Set.of(BootMethod.PXE, BootMethod.HTTP), Optional.empty(), Optional.of(layer(UKI)));
    IPXEBootConfig earlierSbcs = controlled(new IPXEBootConfig(), "uid-of-an-earlier-sbc-of-that-name");
    IPXEBootConfig handMade = new IPXEBootConfig();
    handMade.setMetadata(new ObjectMeta());
    IPXEBootConfig merelyOwned = controlled(new IPXEBootConfig(), "sbc-uid");
    merelyOwned.getMetadata().getOwnerReferences().get(0).setController(false);

    for (IPXEBootConfig config : List.of(earlierSbcs, handMade, merelyOwned)) {
      assertThat(DesiredBootConfigs.obsolete(sbc(), ukiOnly, Map.of(BootMethod.PXE, config))).isEmpty();
    }
  }

  @Test
  void aConfigForADisabledMethodIsLeftAlone() {
    // Given PXE is switched off in this operator: its configs are not this controller's to judge
    ImageOffer httpOnly = offer(Set.of(BootMethod.HTTP), Optional.empty(), Optional.of(layer(UKI)));

    List<HasMetadata> obsolete = DesiredBootConfigs.obsolete(sbc(), httpOnly,
        Map.of(BootMethod.PXE, controlled(new IPXEBootConfig(), "sbc-uid")));

    assertThat(obsolete).isEmpty();
  }

  private static ImageOffer offer(Set<BootMethod> enabled, Optional<ImageOffer.PxeLayers> pxe,
      Optional<Descriptor> uki) {
    return new ImageOffer(ImageReference.parse("ghcr.io/os/gardenlinux:2.0"), enabled, pxe, uki);
  }

  private static <T extends HasMetadata> T controlled(T config, String sbcUid) {
    ServerBootConfiguration owner = sbc();
    owner.getMetadata().setUid(sbcUid);
    config.setMetadata(new ObjectMetaBuilder().withName("node-1-boot").withNamespace(Fixtures.NAMESPACE)
        .withOwnerReferences(DesiredBootConfigs.controllerReference(owner)).build());
    return config;
  }

  private static ImageOffer.PxeLayers layers(Optional<Descriptor> squashfs) {
    return new ImageOffer.PxeLayers(layer(KERNEL), layer(INITRD), squashfs);
  }

  private static Descriptor layer(String digest) {
    return Descriptor.of(LayerMediaTypes.KERNEL, digest, 1);
  }

  private static ServerBootConfiguration sbc() {
    ServerBootConfiguration sbc = Fixtures.sbc("node-1-boot", "node-1");
    sbc.getMetadata().setUid("sbc-uid");
    sbc.getSpec().setIgnitionSecretRef(Fixtures.ref("node-ignition"));
    return sbc;
  }

  private static Server server() {
    Server server = Fixtures.server("node-1", null, null, "Available");
    server.getSpec().setSystemUUID("4C4C4544-0000-1111-2222-333344445555");
    server.getStatus().setNetworkInterfaces(List.of(
        nic(List.of("10.0.0.1", "fd00::1"), "10.0.0.1", "aa:bb:cc:dd:ee:01"),
        nic(List.of(), "10.0.1.1", "aa:bb:cc:dd:ee:02")));
    return server;
  }

  private static NetworkInterface nic(List<String> ips, String ip, String mac) {
    NetworkInterface nic = new NetworkInterface();
    nic.setIps(ips);
    nic.setIp(ip);
    nic.setMacAddress(mac);
    return nic;
  }
}
