package dev.ironcore.boot.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestResolverRegistryTest {
  private static final String REPO = "ironcore/gardenlinux";

  @TempDir Path dir;
  private TestRegistry registry;
  private ImagePusher pusher;
  private TokenAndChallengeTest.MutableClock clock;
  private ManifestResolver resolver;

  @BeforeEach
  void startRegistry() throws Exception {
    registry = TestRegistry.anonymous(dir);
    pusher = new ImagePusher(registry);
    clock = new TokenAndChallengeTest.MutableClock();
    clock.now = Instant.now();
    RegistrySettings settings = RegistrySettings.defaults().withAllowedRegistries(List.of(registry.host()))
        .withTagTtl(Duration.ofMinutes(1));
    resolver = new ManifestResolver(new RegistryClient(settings, clock), settings, clock);
  }

  @AfterEach
  void stopRegistry() throws InterruptedException {
    registry.close();
  }

  private Descriptor layer(String mediaType, String content) throws Exception {
    return pusher.layer(REPO, mediaType, content.getBytes(UTF_8));
  }

  private ImageReference ref(String version) {
    return ImageReference.of(registry.host() + "/" + REPO, version);
  }

  private ResolvedImage resolve(String version, String arch, BootMethod method) {
    return resolver.resolve(ref(version), arch, method).toCompletableFuture().join();
  }

  private Descriptor pushMultiArchIndex(String tag) throws Exception {
    Descriptor armKernel = layer(LayerMediaTypes.KERNEL, "arm64 kernel");
    Descriptor arm = pusher.image(REPO, null, List.of(armKernel, layer(LayerMediaTypes.INITRAMFS, "arm64 initrd")));
    Descriptor kvm = pusher.image(REPO, null, List.of(layer(LayerMediaTypes.UKI, "amd64 kvm uki")));
    Descriptor pxe = pusher.image(REPO, null, List.of(layer(LayerMediaTypes.GARDENLINUX_KERNEL, "amd64 kernel"),
        layer(LayerMediaTypes.GARDENLINUX_INITRD, "amd64 initrd"), layer(LayerMediaTypes.GARDENLINUX_SQUASHFS, "amd64 root")));
    return pusher.index(REPO, tag, List.of(
        ImagePusher.platformEntry(arm, "arm64", Map.of("cname", "metal_pxe_arm64", "architecture", "arm64")),
        ImagePusher.platformEntry(kvm, "amd64", Map.of("cname", "kvm_amd64", "architecture", "amd64")),
        ImagePusher.platformEntry(pxe, "amd64", Map.of("cname", "metal_pxe_amd64", "architecture", "amd64"))));
  }

  @Test
  void picksThePxeManifestOfTheArchitectureFromAnIndexWithADecoyFirst() throws Exception {
    pushMultiArchIndex("1877.0");

    ResolvedImage amd64 = resolve("1877.0", "amd64", BootMethod.PXE);
    ResolvedImage arm64 = resolve("1877.0", "arm64", BootMethod.PXE);

    assertThat(amd64.kernel()).map(Descriptor::mediaType).contains(LayerMediaTypes.GARDENLINUX_KERNEL);
    assertThat(amd64.initrd()).map(Descriptor::mediaType).contains(LayerMediaTypes.GARDENLINUX_INITRD);
    assertThat(amd64.squashfs()).map(Descriptor::mediaType).contains(LayerMediaTypes.GARDENLINUX_SQUASHFS);
    assertThat(amd64.uki()).isEmpty();
    assertThat(arm64.kernel()).map(Descriptor::digest).contains(ImagePusher.sha256("arm64 kernel".getBytes(UTF_8)));
    assertThat(arm64.squashfs()).isEmpty();
  }

  @Test
  void httpBootTakesTheFirstPlatformMatchAndFindsTheUki() throws Exception {
    pushMultiArchIndex("1877.0");

    ResolvedImage image = resolve("1877.0", "amd64", BootMethod.HTTP);

    assertThat(image.uki()).map(Descriptor::digest).contains(ImagePusher.sha256("amd64 kvm uki".getBytes(UTF_8)));
    assertThat(image.firstLayerNamed("uki")).isEqualTo(image.uki());
  }

  @Test
  void aSingleManifestIsUsedAsItIsAndADigestPinResolvesTheSame() throws Exception {
    Descriptor manifest = pusher.image(REPO, "pxe-only", List.of(layer(LayerMediaTypes.KERNEL, "k"), layer(LayerMediaTypes.INITRAMFS, "i")));

    ResolvedImage byTag = resolve("pxe-only", "arm64", BootMethod.PXE);
    ResolvedImage byDigest = resolve(manifest.digest(), "arm64", BootMethod.PXE);

    assertThat(byTag.manifestDigest()).isEqualTo(manifest.digest());
    assertThat(byDigest.layers()).isEqualTo(byTag.layers());
    assertThat(byTag.kernel()).isPresent();
    assertThat(byTag.squashfs()).isEmpty();
  }

  @Test
  void anIndexWithoutTheArchitectureFailsWithTheGoMessage() throws Exception {
    pushMultiArchIndex("1877.0");

    RegistryException failure = RegistryClientRegistryTest.failure(resolver.resolve(ref("1877.0"), "riscv64", BootMethod.PXE));

    assertThat(failure).hasMessage("failed to find target manifest with architecture riscv64");
  }

  @Test
  void fetchesEachManifestOnceAndATagAgainOnlyAfterItsTtl() throws Exception {
    Descriptor index = pushMultiArchIndex("1877.0");

    // When a rack's worth of resolutions run at once, then again within the TTL
    List<CompletableFuture<ResolvedImage>> rack = IntStream.range(0, 50)
        .mapToObj(i -> resolver.resolve(ref("1877.0"), "amd64", BootMethod.PXE).toCompletableFuture()).toList();
    rack.forEach(CompletableFuture::join);
    resolve("1877.0", "amd64", BootMethod.PXE);

    // Then the tag and the amd64 manifest were each fetched once
    assertThat(manifestGets("1877.0")).isEqualTo(1);
    assertThat(manifestGets(index.digest())).isZero();
    long platformFetches = registry.accessLog().stream().filter(l -> l.contains("\"GET /v2/" + REPO + "/manifests/sha256:")).count();
    assertThat(platformFetches).isEqualTo(1);

    // And once the TTL has passed the tag is asked again, the unchanged manifest is not
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    resolve("1877.0", "amd64", BootMethod.PXE);
    assertThat(manifestGets("1877.0")).isEqualTo(2);
    assertThat(registry.accessLog().stream().filter(l -> l.contains("\"GET /v2/" + REPO + "/manifests/sha256:")).count())
        .isEqualTo(1);
  }

  @Test
  void whileTheRegistryIsDownATagResolvesToItsLastManifestUntilThatAnswerIsTooOld() throws Exception {
    Descriptor kernel = layer(LayerMediaTypes.KERNEL, "kernel of v1");
    pusher.image(REPO, "v1", List.of(kernel));
    resolve("v1", "amd64", BootMethod.PXE);
    registry.kill();

    // When the tag is resolved again past its TTL, the registry refusing connections
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    ResolvedImage stale = resolve("v1", "amd64", BootMethod.PXE);

    // Then the manifest the registry last gave is used, and counted
    assertThat(stale.kernel()).map(Descriptor::digest).contains(kernel.digest());
    assertThat(resolver.staleAnswers()).isEqualTo(1);
    // And within the next TTL it is used as is, without asking the dead registry on every request
    resolve("v1", "amd64", BootMethod.PXE);
    assertThat(resolver.staleAnswers()).isEqualTo(1);

    // But an answer older than boot.registry-stale-tag-max-age (a day by default) is not used any more
    clock.now = clock.now.plus(Duration.ofHours(25));
    assertThatThrownBy(() -> resolve("v1", "amd64", BootMethod.PXE)).hasCauseInstanceOf(RegistryException.class)
        .cause().satisfies(failure -> assertThat(((RegistryException) failure).kind())
            .isEqualTo(RegistryException.Kind.UNREACHABLE));
  }

  @Test
  void aTagTheRegistrySaysIsGoneIsNotReplacedByItsLastManifest() throws Exception {
    Descriptor image = pusher.image(REPO, "v1", List.of(layer(LayerMediaTypes.KERNEL, "kernel of v1")));
    resolve("v1", "amd64", BootMethod.PXE);
    HttpResponse<Void> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        registry.baseUri().resolve("/v2/" + REPO + "/manifests/" + image.digest())).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(deleted.statusCode()).isEqualTo(202);

    clock.now = clock.now.plus(Duration.ofMinutes(2));

    assertThatThrownBy(() -> resolve("v1", "amd64", BootMethod.PXE)).hasCauseInstanceOf(RegistryException.class)
        .cause().satisfies(failure -> assertThat(((RegistryException) failure).kind())
            .isEqualTo(RegistryException.Kind.NOT_FOUND));
    // nor brought back by an outage after that
    registry.kill();
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    assertThatThrownBy(() -> resolve("v1", "amd64", BootMethod.PXE)).hasCauseInstanceOf(RegistryException.class)
        .cause().satisfies(failure -> assertThat(((RegistryException) failure).kind())
            .isEqualTo(RegistryException.Kind.UNREACHABLE));
    assertThat(resolver.staleAnswers()).isZero();
  }

  private long manifestGets(String reference) throws Exception {
    String request = "\"GET /v2/" + REPO + "/manifests/" + reference + " HTTP/1.1\" 200 ";
    return registry.accessLog().stream().filter(line -> line.contains(request)).count();
  }
}
