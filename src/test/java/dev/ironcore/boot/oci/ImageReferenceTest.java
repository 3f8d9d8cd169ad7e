package dev.ironcore.boot.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void keepsTheRegistryHostInTheFamiliarName() {
    ImageReference ref = ImageReference.parse("ghcr.io/ironcore-dev/os-images/gardenlinux:1877.0");

    assertThat(ref.domain()).isEqualTo("ghcr.io");
    assertThat(ref.registry()).isEqualTo("ghcr.io");
    assertThat(ref.repository()).isEqualTo("ironcore-dev/os-images/gardenlinux");
    assertThat(ref.tag()).contains("1877.0");
    assertThat(ref.digest()).isEmpty();
    assertThat(ref.familiarName()).isEqualTo("ghcr.io/ironcore-dev/os-images/gardenlinux");
    assertThat(ref.manifestReference()).isEqualTo("1877.0");
  }

  @ParameterizedTest
  @CsvSource({
      "ubuntu,                       docker.io, registry-1.docker.io, library/ubuntu",
      "docker.io/ubuntu,             docker.io, registry-1.docker.io, library/ubuntu",
      "index.docker.io/ubuntu,       docker.io, registry-1.docker.io, library/ubuntu",
      "ironcore-dev/boot,            docker.io, registry-1.docker.io, ironcore-dev/boot",
      "localhost/boot,               localhost, localhost,            boot",
      "127.0.0.1:5000/ironcore/boot, 127.0.0.1:5000, 127.0.0.1:5000,  ironcore/boot",
      "[::1]:5000/boot,              [::1]:5000, [::1]:5000,          boot",
      "Registry.Example:443/a/b,     registry.example:443, registry.example:443, a/b"})
  void normalisesDockerHubAndRecognisesRegistryHosts(String input, String domain, String registry, String repo) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.domain()).isEqualTo(domain);
    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repo);
  }

  @Test
  void withoutTagOrDigestMeansLatest() {
    assertThat(ImageReference.parse("ghcr.io/a/b").tag()).contains("latest");
    assertThat(ImageReference.parse("localhost:5000").tag()).contains("5000");
  }

  @Test
  void aDigestWinsOverTheTagWhenAskingTheRegistry() {
    ImageReference tagged = ImageReference.parse("ghcr.io/a/b:v1@" + DIGEST);
    ImageReference pinned = ImageReference.parse("ghcr.io/a/b@" + DIGEST);

    assertThat(tagged.tag()).contains("v1");
    assertThat(tagged.manifestReference()).isEqualTo(DIGEST);
    assertThat(pinned.tag()).isEmpty();
    assertThat(pinned.toString()).isEqualTo("ghcr.io/a/b@" + DIGEST);
    assertThat(tagged.withDigest(DIGEST)).isEqualTo(pinned);
  }

  @Test
  void takesTheVersionAsTagOrDigest() {
    assertThat(ImageReference.of("ghcr.io/a/b", "v1.0").tag()).contains("v1.0");
    assertThat(ImageReference.of("ghcr.io/a/b", DIGEST).digest()).contains(DIGEST);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                           | it is empty",
      "ghcr.io/a b                  | whitespace",
      "ghcr.io/Ironcore/boot        | must be lowercase",
      "Ironcore/boot                | must be lowercase",
      "ghcr.io//boot                | empty path segment",
      "ghcr.io/a/-boot              | path segment \"-boot\"",
      "ghcr.io/a/b:.v1              | tag \".v1\"",
      "ghcr.io/a/b@sha256:abc       | must be sha256: followed by 64 lowercase hex",
      "ghcr.io/a/b@md5:0123         | must be sha256:",
      "bad_host.io/a                | registry \"bad_host.io\"",
      "ghcr.io:port/a               | registry \"ghcr.io:port\""})
  void refusesMalformedReferencesWithAReason(String input, String reason) {
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOf(InvalidImageReferenceException.class)
        .hasMessageStartingWith("invalid image reference \"" + input + "\"")
        .hasMessageContaining(reason);
  }

  @Test
  void refusesOverlongNames() {
    assertThatThrownBy(() -> ImageReference.parse("ghcr.io/" + "a".repeat(250)))
        .hasMessageContaining("longer than 255");
  }
}
