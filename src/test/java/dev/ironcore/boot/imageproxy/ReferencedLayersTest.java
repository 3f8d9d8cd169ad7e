package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A layer stays referenced while any source names it, and a source's change replaces only its own keys. */
class ReferencedLayersTest {
  private static final LayerKey KERNEL = new LayerKey("layer r/os@sha256:1");
  private static final LayerKey INITRD = new LayerKey("layer r/os@sha256:2");

  @Test
  void aLayerNamedByTwoSourcesStaysUntilTheLastLetsGo() {
    ReferencedLayers layers = new ReferencedLayers();
    layers.replace("config-a", Set.of(KERNEL, INITRD));
    layers.replace("config-b", Set.of(KERNEL));

    layers.replace("config-a", Set.of(INITRD));
    assertThat(layers.contains(KERNEL)).isTrue();
    layers.replace("config-b", Set.of());
    assertThat(layers.contains(KERNEL)).isFalse();
    assertThat(layers.contains(INITRD)).isTrue();
    assertThat(layers.size()).isEqualTo(1);
  }

  @Test
  void replacingASourceWithTheSameKeysChangesNothing() {
    ReferencedLayers layers = new ReferencedLayers();
    layers.replace("config-a", Set.of(KERNEL));
    layers.replace("config-a", Set.of(KERNEL));
    layers.replace("config-a", Set.of());

    assertThat(layers.contains(KERNEL)).isFalse();
    assertThat(layers.size()).isZero();
  }
}
