package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ironcore.boot.web.HttpStatusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobRequestTest {
  private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final String DIGEST = "sha256:" + HEX;

  @Test
  void parsesTheDigestForm() {
    BlobRequest request = BlobRequest.fromImageQuery(
        "imageName=ghcr.io%2Fironcore-dev%2Fos-images%2Fgardenlinux&version=1877.0&layerDigest=sha256%3A" + HEX);

    assertThat(request.imageName()).isEqualTo("ghcr.io/ironcore-dev/os-images/gardenlinux");
    assertThat(request.version()).isEqualTo("1877.0");
    assertThat(request.layerDigest().toString()).isEqualTo(DIGEST);
    assertThat(request.layerMediaType()).isNull();
    assertThat(request.selectsLayerByMediaType()).isFalse();
  }

  @Test
  void dropsATrailingEfiFromTheImageName() {
    BlobRequest request = BlobRequest.fromImageQuery("imageName=ghcr.io/a/uki.efi&version=v1&layerDigest=" + DIGEST);

    assertThat(request.imageName()).isEqualTo("ghcr.io/a/uki");
  }

  @Test
  void parsesTheOlderMediaTypeForm() {
    BlobRequest request = BlobRequest.fromImageQuery(
        "imageName=ghcr.io/a/b&version=latest&layerName=application/vnd.ironcore.image.squashfs");

    assertThat(request.layerDigest()).isNull();
    assertThat(request.layerMediaType()).isEqualTo("application/vnd.ironcore.image.squashfs");
    assertThat(request.selectsLayerByMediaType()).isTrue();
  }

  @Test
  void theDigestWinsWhenBothLayerParametersAreGiven() {
    BlobRequest request = BlobRequest.fromImageQuery(
        "imageName=ghcr.io/a/b&version=v1&layerName=kernel&layerDigest=" + DIGEST);

    assertThat(request.layerDigest().hex()).isEqualTo(HEX);
    assertThat(request.layerMediaType()).isNull();
  }

  @Test
  void acceptsAManifestDigestAsVersion() {
    BlobRequest request = BlobRequest.fromImageQuery("imageName=ghcr.io/a/b&version=" + DIGEST + "&layerDigest=" + DIGEST);

    assertThat(request.version()).isEqualTo(DIGEST);
  }

  @Test
  void parsesTheHttpBootPath() {
    BlobRequest request = BlobRequest.fromHttpBootPath("/httpboot/ghcr.io/ironcore-dev/uki:1.0/sha256-" + HEX + ".efi");

    assertThat(request).isEqualTo(new BlobRequest("ghcr.io/ironcore-dev/uki:1.0", null, request.layerDigest(), null));
    assertThat(request.layerDigest().hex()).isEqualTo(HEX);
  }

  @Test
  void decodesTheHttpBootPathOnceAsIpxeEncodesARegistryPort() {
    BlobRequest request = BlobRequest.fromHttpBootPath("/httpboot/registry.example%3A5000/os/uki/sha256-" + HEX + ".efi");

    assertThat(request.imageName()).isEqualTo("registry.example:5000/os/uki");
    assertThat(request.layerDigest().hex()).isEqualTo(HEX);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/httpboot/registry.example%253A5000/os/sha256-" + HEX + ".efi", // decoded once: "%3A" is no name
      "/httpboot/ghcr.io/a/%2E%2E/b/sha256-" + HEX + ".efi", "/httpboot/ghcr.io/%2e/a/sha256-" + HEX + ".efi",
      "/httpboot/ghcr.io/a/sha256-" + HEX + "%2Eefi%2F"})
  void answers404WhenTheDecodedPathIsNoImagePath(String path) {
    assertStatus(() -> BlobRequest.fromHttpBootPath(path), 404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/httpboot/ghcr.io/a%zz/sha256-" + HEX + ".efi", "/httpboot/ghcr.io/a%00/sha256-" + HEX + ".efi",
      "/httpboot/ghcr.io/a%0D%0AX:1/sha256-" + HEX + ".efi"})
  void answers400ForAMalformedEscapeOrAControlCharacterInTheHttpBootPath(String path) {
    assertStatus(() -> BlobRequest.fromHttpBootPath(path), 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "version=v1&layerDigest=" + DIGEST, "imageName=ghcr.io/a/b&layerDigest=" + DIGEST,
      "imageName=ghcr.io/a/b&version=v1", "imageName=&version=v1&layerDigest=" + DIGEST,
      "imageName=ghcr.io/a/b&version=&layerDigest=" + DIGEST, "imageName=ghcr.io/a/b&version=v1&layerName="})
  void answers404ForAMissingParameter(String query) {
    assertStatus(() -> BlobRequest.fromImageQuery(query), 404);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", // upper case
      "sha256:0123", "sha512:" + "ab", "sha256-" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "sha256:", "sha256:../../etc/passwd",
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"})
  void answers404ForAMalformedDigest(String digest) {
    assertStatus(() -> BlobRequest.fromImageQuery("imageName=ghcr.io/a/b&version=v1&layerDigest=" + digest), 404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ghcr.io/../b", "ghcr.io/a/%2e%2e/b", "ghcr.io//b", "/ghcr.io/a", "ghcr.io/a/b/",
      "ghcr.io/a b", "ghcr.io/a%0Ab", "ghcr.io/a?x=1", "ghcr.io/a#b", "ghcr.io\\a", "ghcr.io/./a", ".efi"})
  void answers404ForAMalformedImageName(String imageName) {
    assertStatus(() -> BlobRequest.fromImageQuery(
        "imageName=" + imageName.replace("?", "%3F").replace("#", "%23") + "&version=v1&layerDigest=" + DIGEST), 404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1/..", "-v1", "a b", "v1%0D%0AX-Injected:1", "sha256:short"})
  void answers404ForAMalformedVersion(String version) {
    assertStatus(() -> BlobRequest.fromImageQuery("imageName=ghcr.io/a/b&version=" + version + "&layerDigest=" + DIGEST), 404);
  }

  @Test
  void answers404ForAMalformedPercentEscapeOrMediaType() {
    assertStatus(() -> BlobRequest.fromImageQuery("imageName=ghcr.io/a%zz&version=v1&layerDigest=" + DIGEST), 404);
    assertStatus(() -> BlobRequest.fromImageQuery("imageName=ghcr.io/a/b&version=v1&layerName=%0Akernel"), 404);
  }

  @Test
  void refusesAnOversizedQueryAndRepeatedParameters() {
    String oversized = "imageName=ghcr.io/a/b&version=v1&layerDigest=" + DIGEST + "&pad=" + "x".repeat(BlobRequest.MAX_QUERY_LENGTH);
    assertStatus(() -> BlobRequest.fromImageQuery(oversized), 414);
    assertStatus(() -> BlobRequest.fromImageQuery(
        "imageName=ghcr.io/a/b&imageName=evil.example/x&version=v1&layerDigest=" + DIGEST), 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/httpboot/ghcr.io%2Fa/sha256-" + HEX + ".efi", "/httpboot/ghcr.io/a%2Fb/sha256-" + HEX + ".efi",
      "/httpboot/ghcr.io/a/%2e%2e/sha256-" + HEX + ".efi", "/httpboot/ghcr.io/../a/sha256-" + HEX + ".efi",
      "/httpboot/ghcr.io/a/../sha256-" + HEX + ".efi", "/httpboot/sha256-" + HEX + ".efi",
      "/httpboot/ghcr.io/a/" + HEX + ".efi", "/httpboot/ghcr.io/a/sha256-" + HEX, "/httpboot/ghcr.io/a/sha256-abc.efi",
      "/httpboot/ghcr.io/a/sha256-" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" + ".efi", "/httpboot/ghcr.io//a/sha256-" + HEX + ".efi",
      "/httpboot//sha256-" + HEX + ".efi", "/ipxe/ghcr.io/a/sha256-" + HEX + ".efi", "/httpboot/"})
  void answers404ForABadHttpBootPath(String path) {
    assertStatus(() -> BlobRequest.fromHttpBootPath(path), 404);
  }

  private static void assertStatus(Runnable parse, int status) {
    assertThatThrownBy(parse::run)
        .isInstanceOf(HttpStatusException.class)
        .satisfies(e -> assertThat(((HttpStatusException) e).status()).isEqualTo(status));
  }
}
