package dev.ironcore.boot.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryAllowListTest {

  @Test
  void allowsOnlyGhcrByDefault() {
    RegistryAllowList allowList = new RegistryAllowList(List.of(), List.of());

    assertThat(allowList.isAllowed(ImageReference.parse("ghcr.io/ironcore-dev/boot"))).isTrue();
    assertThat(allowList.isAllowed(ImageReference.parse("GHCR.io/ironcore-dev/boot"))).isTrue();
    assertThat(allowList.isAllowed(ImageReference.parse("quay.io/ironcore-dev/boot"))).isFalse();
    assertThat(allowList.isAllowed(ImageReference.parse("ubuntu"))).isFalse();
  }

  @Test
  void aConfiguredListReplacesTheDefault() {
    RegistryAllowList allowList = new RegistryAllowList(List.of(" quay.io ", "127.0.0.1:5000"), List.of());

    assertThat(allowList.isAllowed(ImageReference.parse("quay.io/a/b"))).isTrue();
    assertThat(allowList.isAllowed(ImageReference.parse("127.0.0.1:5000/a/b"))).isTrue();
    assertThat(allowList.isAllowed(ImageReference.parse("127.0.0.1:5001/a/b"))).isFalse();
    assertThat(allowList.isAllowed(ImageReference.parse("ghcr.io/a/b"))).isFalse();
  }

  @Test
  void allowedRepositoriesNarrowAnAllowedRegistryByPrefixOrExactName() {
    RegistryAllowList allowList = new RegistryAllowList(List.of("ghcr.io", "docker.io"), List.of(),
        List.of("ghcr.io/ironcore-dev/*", " GHCR.io/other/uki ", "index.docker.io/library/ubuntu"));

    allowList.check(ImageReference.parse("ghcr.io/ironcore-dev/os-images/gardenlinux:1877.0"));
    allowList.check(ImageReference.parse("ghcr.io/other/uki@sha256:" + "a".repeat(64)));
    allowList.check(ImageReference.parse("ubuntu:22.04"));
    for (String refused : List.of("ghcr.io/attacker/payload", "ghcr.io/ironcore-devil/x", "ghcr.io/other/uki-2",
        "docker.io/library/alpine")) {
      assertThatThrownBy(() -> allowList.check(ImageReference.parse(refused))).as(refused)
          .isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.kind()).isEqualTo(RegistryException.Kind.NOT_ALLOWED);
            assertThat(e.publicReason()).isEqualTo(RegistryAllowList.REPOSITORY_NOT_ALLOWED);
            assertThat(e.getMessage()).contains("boot.allowed-repositories");
          });
    }
  }

  @Test
  void withoutAllowedRepositoriesEveryRepositoryOfAnAllowedRegistryMayBeFetched() {
    new RegistryAllowList(List.of("ghcr.io"), List.of(), List.of(" ")).check(ImageReference.parse("ghcr.io/any/thing"));
  }

  @ParameterizedTest
  @CsvSource({"docker.io", "index.docker.io", "registry-1.docker.io"})
  void everyDockerHubNameAllowsEveryDockerHubReference(String configured) {
    RegistryAllowList allowList = new RegistryAllowList(List.of(configured), List.of());

    assertThat(allowList.isAllowed(ImageReference.parse("ubuntu:22.04"))).isTrue();
    assertThat(allowList.isAllowed(ImageReference.parse("docker.io/library/ubuntu"))).isTrue();
    assertThat(allowList.isAllowed(ImageReference.parse("index.docker.io/ironcore/boot"))).isTrue();
  }

  @Test
  void checkNamesTheRefusedRegistry() {
    RegistryAllowList allowList = new RegistryAllowList(List.of(), List.of());

    assertThatThrownBy(() -> allowList.check(ImageReference.parse("evil.example/a")))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.NOT_ALLOWED))
        .hasMessageContaining("evil.example").hasMessageContaining("ghcr.io");
  }

  @ParameterizedTest
  @CsvSource({
      "ghcr.io,                https://ghcr.io",
      "docker.io,              https://registry-1.docker.io",
      "localhost:5000,         http://localhost:5000",
      "127.0.0.1:5000,         http://127.0.0.1:5000",
      "127.255.0.9,            http://127.255.0.9",
      "[::1]:5000,             http://[::1]:5000",
      "127.0.0.1.nip.io:5000,  https://127.0.0.1.nip.io:5000",
      "localhost.example,      https://localhost.example",
      "registry.lab:5000,      http://registry.lab:5000",
      "registry.lab,           https://registry.lab"})
  void usesHttpsExceptForLoopbackAndInsecureRegistries(String registry, String expected) {
    RegistryAllowList allowList = new RegistryAllowList(List.of(), List.of("registry.lab:5000"));

    assertThat(allowList.baseUri(registry)).hasToString(expected);
  }
}
