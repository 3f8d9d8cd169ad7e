package dev.ironcore.boot.httpboot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.web.HttpStatusException;
import java.time.Clock;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code default-httpboot-oci-image} resolved against a real registry, once, for unknown clients. */
class DefaultUkiRouteTest {
  private static final String REPO = "ironcore/uki";

  @TempDir
  static Path dir;

  private static TestRegistry registry;
  private static MockCluster cluster;
  private static BootServiceUnderTest service;
  private static Descriptor uki;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.anonymous(dir);
    ImagePusher pusher = new ImagePusher(registry);
    uki = pusher.layer(REPO, LayerMediaTypes.UKI, "the default UKI".getBytes(UTF_8));
    pusher.image(REPO, "1.0", List.of(uki));
    cluster = new MockCluster();
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.default-httpboot-oci-image", registry.host() + "/" + REPO + ":1.0",
        "boot.default-httpboot-uki-url", "http://ignored.example/old.efi",
        "boot.image-server-url", "http://boot.example:8083/httpboot/",
        "boot.allowed-registries", registry.host(),
        "boot.ipxe-service-url", "http://boot.example:8082"));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    cluster.close();
    registry.close();
  }

  @Test
  void unknownClientsGetTheUkiLayerOfTheDefaultImageResolvedOnce() throws Exception {
    // When unknown clients ask three times
    List<HttpResponse<String>> answers = List.of(
        service.get("/httpboot", "X-Forwarded-For", "192.0.2.1"),
        service.get("/httpboot", "X-Forwarded-For", "192.0.2.2"),
        service.get("/httpboot", "X-Forwarded-For", "192.0.2.3"));

    // Then each gets <image-server-url>/<image>/sha256-<hex>.efi, the OCI image winning over the old URL
    String expected = "http://boot.example:8083/httpboot/" + registry.host() + "/" + REPO + "/"
        + uki.digest().replace(':', '-') + ".efi";
    assertThat(answers).allSatisfy(answer -> {
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).endsWith(",\"UKIURL\":\"" + expected + "\"}");
    });
    // And the registry was asked for the tag's manifest once (OURS: Go asks on every request)
    long manifestGets = registry.accessLog().stream()
        .filter(line -> line.contains("GET /v2/" + REPO + "/manifests/1.0 ")).count();
    assertThat(manifestGets).isEqualTo(1);
  }

  @Test
  void aDefaultImageThatCannotBeServedAnswers500SayingWhy() {
    assertThat(failure(Map.of("boot.default-httpboot-oci-image", registry.host() + "/" + REPO + ":1.0",
        "boot.image-server-url", "http://boot.example/httpboot")))
        .contains("could not be resolved").contains("not allowed");
    assertThat(failure(Map.of("boot.default-httpboot-oci-image", registry.host() + "/" + REPO + ":1.0",
        "boot.allowed-registries", registry.host())))
        .contains("image-server-url is empty");
    assertThat(failure(Map.of("boot.default-httpboot-oci-image", registry.host() + "/" + REPO + ":missing",
        "boot.allowed-registries", registry.host(), "boot.image-server-url", "http://boot.example/httpboot")))
        .contains("could not be resolved");
    assertThat(failure(Map.of())).isEqualTo("HTTP boot is not configured (missing default UKI)");
  }

  private static String failure(Map<String, String> properties) {
    BootSettings settings = BootSettings.from(properties::get, key -> null);
    DefaultUki defaultUki = new DefaultUki(settings, new ManifestResolver(
        new RegistryClient(settings.registrySettings()), settings.registrySettings(), Clock.systemUTC()));
    HttpStatusException error = catchThrowableOfType(HttpStatusException.class, defaultUki::url);
    assertThat(error.status()).isEqualTo(500);
    return error.getMessage();
  }
}
