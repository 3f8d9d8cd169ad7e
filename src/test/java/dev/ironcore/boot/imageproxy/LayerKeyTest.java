package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A layer reference compares equal however its URL spells it, and only our blob URLs name a layer. */
class LayerKeyTest {
  private static final String HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final String DIGEST = "sha256:" + HEX;

  @Test
  void theDigestFormsOfOneLayerAreOneKeyWhateverTheHostAndSpelling() {
    LayerKey byImage = LayerKey.ofUrl("http://boot.example:8082/image?imageName=registry.example:5000/os/kernel"
        + "&version=v1&layerDigest=" + DIGEST).orElseThrow();

    assertThat(LayerKey.ofUrl("/image?version=v2&layerDigest=sha256%3A" + HEX
        + "&imageName=registry.example%3A5000/os/kernel")).hasValue(byImage);
    assertThat(LayerKey.ofUrl("https://other.example/httpboot/registry.example%3A5000/os/kernel/sha256-" + HEX + ".efi"))
        .hasValue(byImage);
    assertThat(LayerKey.ofUrl("http://boot.example/httpboot/registry.example:5000/os/kernel/sha256-" + HEX + ".efi"))
        .hasValue(byImage);
  }

  @Test
  void dockerHubNamesAreNormalised() {
    assertThat(LayerKey.ofUrl("/image?imageName=busybox&version=1&layerDigest=" + DIGEST))
        .isEqualTo(LayerKey.ofUrl("/image?imageName=docker.io/library/busybox&version=1&layerDigest=" + DIGEST));
  }

  @Test
  void theLayerNameFormNamesItsImageAndVersion() {
    LayerKey v1 = LayerKey.ofUrl("/image?imageName=ghcr.io/os/img&version=v1&layerName=kernel").orElseThrow();

    assertThat(LayerKey.ofUrl("/image?imageName=ghcr.io/os/img&version=v1&layerName=initramfs")).hasValue(v1);
    assertThat(Set.of(LayerKey.ofUrl("/image?imageName=ghcr.io/os/img&version=v2&layerName=kernel").orElseThrow(),
        LayerKey.ofUrl("/image?imageName=ghcr.io/os/other&version=v1&layerName=kernel").orElseThrow(),
        LayerKey.ofUrl("/image?imageName=ghcr.io/os/img&version=v1&layerDigest=" + DIGEST).orElseThrow()))
        .hasSize(3).doesNotContain(v1);
  }

  @Test
  void urlsThatAreNotOurBlobFormsNameNoLayer() {
    assertThat(LayerKey.ofUrl("http://elsewhere.example/vmlinuz")).isEmpty();
    assertThat(LayerKey.ofUrl("${base-url}/image?imageName=ghcr.io/os/img&version=v1&layerDigest=" + DIGEST)).isEmpty();
    assertThat(LayerKey.ofUrl("/image?imageName=ghcr.io/os/img&version=v1&layerDigest=sha256:short")).isEmpty();
    assertThat(LayerKey.ofUrl("/httpboot/ghcr.io/os/img/kernel.efi")).isEmpty();
    assertThat(LayerKey.ofUrl("/image?imageName=ghcr.io/../img&version=v1&layerDigest=" + DIGEST)).isEmpty();
    assertThat(LayerKey.ofUrl("not a url at all")).isEmpty();
  }
}
