package dev.ironcore.boot.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ironcore.boot.oci.RegistryException.Kind;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.RedirectingFront;
import dev.ironcore.boot.testing.registry.TestRegistry;
import dev.ironcore.boot.testing.registry.TokenIssuer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryClientRegistryTest {
  private static final String REPO = "ironcore/boot";
  private static final List<String> ACCEPT = List.of(ImagePusher.OCI_MANIFEST, ImagePusher.OCI_INDEX);
  private static final byte[] KERNEL = "kernel bytes".getBytes(UTF_8);

  @TempDir Path dir;

  private static RegistrySettings allowing(String... registries) {
    return RegistrySettings.defaults().withAllowedRegistries(List.of(registries))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  @Test
  void readsAnAnonymousRegistryWithoutAToken() throws Exception {
    try (TestRegistry registry = TestRegistry.anonymous(dir)) {
      // Given an image pushed to a registry that needs no auth
      ImagePusher pusher = new ImagePusher(registry);
      Descriptor kernel = pusher.layer(REPO, LayerMediaTypes.KERNEL, KERNEL);
      Descriptor manifest = pusher.image(REPO, "v1", List.of(kernel));
      RegistryClient client = new RegistryClient(allowing(registry.host()));
      ImageReference image = ImageReference.parse(registry.host() + "/" + REPO + ":v1");

      // When
      FetchedManifest fetched = client.fetchManifest(image, ACCEPT).toCompletableFuture().join();
      BlobLocation blob = client.locateBlob(image, kernel.digest()).toCompletableFuture().join();

      // Then
      assertThat(fetched.digest()).isEqualTo(manifest.digest());
      assertThat(fetched.mediaType()).isEqualTo(ImagePusher.OCI_MANIFEST);
      assertThat(blob.headers()).isEmpty();
      assertThat(blob.uri()).isEqualTo(URI.create("http://" + registry.host() + "/v2/" + REPO + "/blobs/" + kernel.digest()));
      assertThat(download(blob)).isEqualTo(KERNEL);
    }
  }

  @Test
  void getsOneAnonymousTokenPerRepositoryAndReusesItUntilShortlyBeforeExpiry() throws Exception {
    try (TestRegistry registry = TestRegistry.withTokenAuth(dir)) {
      // Given a token-auth registry and two repositories
      TokenIssuer issuer = registry.tokenIssuer().orElseThrow();
      ImagePusher pusher = new ImagePusher(registry);
      Descriptor kernel = pusher.layer(REPO, LayerMediaTypes.KERNEL, KERNEL);
      pusher.image(REPO, "v1", List.of(kernel));
      pusher.image("ironcore/other", "v1", List.of(pusher.layer("ironcore/other", LayerMediaTypes.UKI, KERNEL)));
      TokenAndChallengeTest.MutableClock clock = new TokenAndChallengeTest.MutableClock();
      clock.now = Instant.now();
      RegistryClient client = new RegistryClient(allowing(registry.host()), clock);
      ImageReference image = ImageReference.parse(registry.host() + "/" + REPO + ":v1");
      int before = issuer.requestCount();

      // When the same repository is read three times
      client.fetchManifest(image, ACCEPT).toCompletableFuture().join();
      client.fetchManifest(image, ACCEPT).toCompletableFuture().join();
      BlobLocation blob = client.locateBlob(image, kernel.digest()).toCompletableFuture().join();

      // Then one token served all of it, and the blob can be fetched with it
      assertThat(issuer.requestCount() - before).isEqualTo(1);
      assertThat(blob.headers().get("Authorization")).startsWith("Bearer ");
      assertThat(download(blob)).isEqualTo(KERNEL);

      // And another repository gets its own token; an aged token is replaced
      client.fetchManifest(ImageReference.parse(registry.host() + "/ironcore/other:v1"), ACCEPT).toCompletableFuture().join();
      assertThat(issuer.requestCount() - before).isEqualTo(2);
      clock.now = clock.now.plusSeconds(300 - 29);
      client.fetchManifest(image, ACCEPT).toCompletableFuture().join();
      assertThat(issuer.requestCount() - before).isEqualTo(3);
    }
  }

  @Test
  void aFailingTokenEndpointIsAnAuthFailure() throws Exception {
    try (TestRegistry registry = TestRegistry.withTokenAuth(dir)) {
      registry.tokenIssuer().orElseThrow().failWith(500);
      RegistryClient client = new RegistryClient(allowing(registry.host()));

      RegistryException failure = failure(client.fetchManifest(ImageReference.parse(registry.host() + "/" + REPO + ":v1"), ACCEPT));

      assertThat(failure.kind()).isEqualTo(Kind.AUTH_FAILED);
      assertThat(failure).hasMessageContaining("answered 500");
    }
  }

  @Test
  void followsACrossHostRedirectWithoutTheToken() throws Exception {
    try (TestRegistry registry = TestRegistry.withTokenAuth(dir);
        RedirectingFront front = RedirectingFront.start(registry, RedirectingFront.Target.OTHER_HOST)) {
      // Given a front on 127.0.0.1 that checks tokens like the registry and redirects manifests to a
      // "CDN" on 127.0.0.2 that serves them from the registry without asking for credentials; the CDN is
      // on loopback, so only an allowlist that names it lets a redirect go there
      ImagePusher pusher = new ImagePusher(registry);
      Descriptor manifest = pusher.image(REPO, "v1", List.of(pusher.layer(REPO, LayerMediaTypes.KERNEL, KERNEL)));
      RegistryClient client = new RegistryClient(allowing(front.host(), front.cdnHost()));

      // When
      FetchedManifest fetched = client.fetchManifest(ImageReference.parse(front.host() + "/" + REPO + ":v1"), ACCEPT)
          .toCompletableFuture().join();

      // Then the front got the token, the CDN nothing (not even the cookie the front set), and the manifest arrived verified
      assertThat(front.frontRequests()).filteredOn(request -> request.isFor("/manifests/v1"))
          .singleElement().satisfies(request -> assertThat(request.authorization()).startsWith("Bearer "));
      assertThat(front.cdnRequests()).singleElement()
          .satisfies(request -> assertThat(request.carriesNoCredentials()).as(request.toString()).isTrue());
      assertThat(fetched.digest()).isEqualTo(manifest.digest());
    }
  }

  @Test
  void refusesARedirectToALoopbackAddressTheAllowlistDoesNotName() throws Exception {
    try (TestRegistry registry = TestRegistry.withTokenAuth(dir);
        RedirectingFront front = RedirectingFront.start(registry, RedirectingFront.Target.OTHER_HOST)) {
      // Given the same front, allowed on 127.0.0.1, and its CDN on 127.0.0.2 that the allowlist does not name
      ImagePusher pusher = new ImagePusher(registry);
      pusher.image(REPO, "v1", List.of(pusher.layer(REPO, LayerMediaTypes.KERNEL, KERNEL)));
      RegistryClient client = new RegistryClient(allowing(front.host()));

      // When
      RegistryException failure = failure(client.fetchManifest(ImageReference.parse(front.host() + "/" + REPO + ":v1"), ACCEPT));

      // Then the redirect is refused before any connection to the CDN
      assertThat(failure.kind()).isEqualTo(RegistryException.Kind.REFUSED_UPSTREAM);
      assertThat(failure.publicReason()).isEqualTo("refused a redirect to a loopback address");
      assertThat(front.frontRequests()).filteredOn(request -> request.isFor("/manifests/v1")).hasSize(1);
      assertThat(front.cdnRequests()).isEmpty();
    }
  }

  @Test
  void followsASameHostRedirectWithTheToken() throws Exception {
    try (TestRegistry registry = TestRegistry.withTokenAuth(dir);
        RedirectingFront front = RedirectingFront.start(registry, RedirectingFront.Target.SAME_HOST)) {
      // Given a front that redirects manifests to another path of its own host:port, served with the token it gets
      ImagePusher pusher = new ImagePusher(registry);
      Descriptor manifest = pusher.image(REPO, "v1", List.of(pusher.layer(REPO, LayerMediaTypes.KERNEL, KERNEL)));
      RegistryClient client = new RegistryClient(allowing(front.host()));

      // When
      FetchedManifest fetched = client.fetchManifest(ImageReference.parse(front.host() + "/" + REPO + ":v1"), ACCEPT)
          .toCompletableFuture().join();

      // Then both hops carried the same token (the registry accepted it on the second), and nothing went elsewhere
      List<RedirectingFront.Request> hops = front.frontRequests().stream()
          .filter(request -> request.isFor("/manifests/v1")).toList();
      assertThat(hops).extracting(RedirectingFront.Request::uri)
          .containsExactly("/v2/" + REPO + "/manifests/v1", "/moved/v2/" + REPO + "/manifests/v1");
      assertThat(hops.get(0).authorization()).startsWith("Bearer ");
      assertThat(hops.get(1).authorization()).isEqualTo(hops.get(0).authorization());
      assertThat(front.cdnRequests()).isEmpty();
      assertThat(fetched.digest()).isEqualTo(manifest.digest());
    }
  }

  @Test
  void givesUpAfterTenRedirects() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    HttpServer loop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    loop.createContext("/", exchange -> {
      if (exchange.getRequestURI().getPath().equals("/v2/")) {
        exchange.sendResponseHeaders(200, -1);
      } else {
        hits.incrementAndGet();
        exchange.getResponseHeaders().add("Location", exchange.getRequestURI().getPath());
        exchange.sendResponseHeaders(302, -1);
      }
      exchange.close();
    });
    loop.start();
    try {
      String host = "127.0.0.1:" + loop.getAddress().getPort();
      RegistryException failure = failure(new RegistryClient(allowing(host))
          .fetchManifest(ImageReference.parse(host + "/" + REPO + ":v1"), ACCEPT));

      assertThat(failure.kind()).isEqualTo(Kind.BAD_RESPONSE);
      assertThat(failure).hasMessageContaining("more than 10 redirects");
      assertThat(hits).hasValue(11);
    } finally {
      loop.stop(0);
    }
  }

  @Test
  void detectsManifestsWhoseBytesOrSizeDoNotMatchTheirDescriptor() throws Exception {
    try (TestRegistry registry = TestRegistry.anonymous(dir)) {
      ImagePusher pusher = new ImagePusher(registry);
      Descriptor manifest = pusher.image(REPO, "v1", List.of(pusher.layer(REPO, LayerMediaTypes.KERNEL, KERNEL)));
      RegistryClient client = new RegistryClient(allowing(registry.host()));
      ImageReference image = ImageReference.parse(registry.host() + "/" + REPO);
      Descriptor wrongSize = Descriptor.of(manifest.mediaType(), manifest.digest(), manifest.size() + 1);

      RegistryException sizeMismatch = failure(client.fetchManifest(image, wrongSize, ACCEPT));
      Path stored = registry.blobDataFile(manifest.digest());
      Files.writeString(stored, Files.readString(stored).replace("image.kernel", "image.kernex")); // still valid JSON
      RegistryException tampered = failure(client.fetchManifest(image.withDigest(manifest.digest()), ACCEPT));

      assertThat(sizeMismatch.kind()).isEqualTo(Kind.DIGEST_MISMATCH);
      assertThat(sizeMismatch).hasMessageContaining("descriptor says " + (manifest.size() + 1));
      assertThat(tampered.kind()).isEqualTo(Kind.DIGEST_MISMATCH);
      assertThat(tampered).hasMessageContaining("expected " + manifest.digest());
    }
  }

  @Test
  void aMissingManifestIsNotFound() throws Exception {
    try (TestRegistry registry = TestRegistry.anonymous(dir)) {
      RegistryClient client = new RegistryClient(allowing(registry.host()));

      RegistryException failure = failure(client.fetchManifest(ImageReference.parse(registry.host() + "/" + REPO + ":nope"), ACCEPT));

      assertThat(failure.kind()).isEqualTo(Kind.NOT_FOUND);
      assertThat(failure).hasMessage("manifest nope of " + registry.host() + "/" + REPO + " not found");
    }
  }

  @Test
  void anUnreachableRegistryFailsFast() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String host = "127.0.0.1:" + closedPort;
    RegistryClient client = new RegistryClient(allowing(host));
    long started = System.nanoTime();

    RegistryException failure = failure(client.fetchManifest(ImageReference.parse(host + "/" + REPO), ACCEPT));

    assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aRegistryThatIsNotOneFailsDetection() throws Exception {
    HttpServer notARegistry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    notARegistry.createContext("/", exchange -> {
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/v2/") ? 503 : 200, -1);
      exchange.close();
    });
    notARegistry.start();
    try {
      String host = "127.0.0.1:" + notARegistry.getAddress().getPort();

      RegistryException failure = failure(new RegistryClient(allowing(host)).locateBlob(
          ImageReference.parse(host + "/" + REPO), "sha256:" + "0".repeat(64)));

      assertThat(failure.kind()).isEqualTo(Kind.DETECTION_FAILED);
      assertThat(failure).hasMessageContaining("answered 503");
    } finally {
      notARegistry.stop(0);
    }
  }

  @Test
  void refusesRegistriesOutsideTheAllowListBeforeAnyRequest() {
    RegistryClient client = new RegistryClient(allowing("ghcr.io"));

    RegistryException failure = failure(client.fetchManifest(ImageReference.parse("127.0.0.1:1/a/b"), ACCEPT));

    assertThat(failure.kind()).isEqualTo(Kind.NOT_ALLOWED);
  }

  static RegistryException failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(RegistryException.class);
      return (RegistryException) e.getCause();
    }
    throw new AssertionError("expected the stage to fail");
  }

  private static byte[] download(BlobLocation blob) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(blob.uri());
    blob.headers().forEach(request::header);
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
