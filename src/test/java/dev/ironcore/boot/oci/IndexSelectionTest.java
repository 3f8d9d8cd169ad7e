package dev.ironcore.boot.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexSelectionTest {
  private static Descriptor entry(char digit, String platform, Map<String, String> annotations) {
    return new Descriptor(ManifestDocument.OCI_MANIFEST, "sha256:" + String.valueOf(digit).repeat(64), 10,
        annotations, Optional.ofNullable(platform));
  }

  private static final Descriptor DECOY_ARM = entry('1', "arm64", Map.of("cname", "metal_pxe_arm64", "architecture", "arm64"));
  private static final Descriptor KVM_AMD = entry('2', "amd64", Map.of("cname", "kvm_amd64", "architecture", "amd64"));
  private static final Descriptor PXE_AMD = entry('3', "amd64", Map.of("cname", "metal_pxe_amd64", "architecture", "amd64"));
  private static final List<Descriptor> INDEX = List.of(DECOY_ARM, KVM_AMD, PXE_AMD);

  @Test
  void pxePrefersTheMetalPxeCnameOfTheArchitecture() {
    assertThat(IndexSelection.select(INDEX, "amd64", BootMethod.PXE)).isEqualTo(PXE_AMD);
    assertThat(IndexSelection.select(INDEX, "arm64", BootMethod.PXE)).isEqualTo(DECOY_ARM);
  }

  @Test
  void httpBootTakesTheFirstPlatformMatch() {
    assertThat(IndexSelection.select(INDEX, "amd64", BootMethod.HTTP)).isEqualTo(KVM_AMD);
  }

  @Test
  void pxeFallsBackToThePlatformWithoutAMatchingCname() {
    Descriptor plain = entry('4', "amd64", Map.of());
    Descriptor otherArchAnnotation = entry('5', "amd64", Map.of("cname", "metal_pxe_arm64", "architecture", "arm64"));

    assertThat(IndexSelection.select(List.of(otherArchAnnotation, plain), "amd64", BootMethod.PXE)).isEqualTo(otherArchAnnotation);
    assertThat(IndexSelection.select(List.of(DECOY_ARM, plain), "amd64", BootMethod.PXE)).isEqualTo(plain);
  }

  @Test
  void failsWithTheGoMessageWhenNoEntryHasTheArchitecture() {
    assertThatThrownBy(() -> IndexSelection.select(List.of(DECOY_ARM), "amd64", BootMethod.PXE))
        .isInstanceOf(RegistryException.class)
        .hasMessage("failed to find target manifest with architecture amd64");
  }
}
