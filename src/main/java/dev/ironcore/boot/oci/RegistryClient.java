package dev.ironcore.boot.oci;

import static dev.ironcore.boot.oci.RegistryException.Kind.AUTH_FAILED;
import static dev.ironcore.boot.oci.RegistryException.Kind.BAD_RESPONSE;
import static dev.ironcore.boot.oci.RegistryException.Kind.DIGEST_MISMATCH;
import static dev.ironcore.boot.oci.RegistryException.Kind.NOT_FOUND;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one way into registries for the image proxy and the controllers: allowlist, auth, manifests
 * (read and verified here) and blob locations (the bytes themselves are streamed by the caller).
 * Every failure completes the stage with a {@link RegistryException}.
 */
public class RegistryClient {
  private final RegistryAllowList allowList;
  private final UpstreamAddresses addresses;
  private final RegistryHttp http;
  private final RegistryAuth auth;

  public RegistryClient(RegistrySettings settings) {
    this(settings, Clock.systemUTC());
  }

  public RegistryClient(RegistrySettings settings, Clock clock) {
    this(settings, clock, HostResolver.SYSTEM);
  }

  /** {@code resolver}: how upstream host names become addresses (tests choose the answers). */
  public RegistryClient(RegistrySettings settings, Clock clock, HostResolver resolver) {
    this.allowList = new RegistryAllowList(settings);
    this.addresses = new UpstreamAddresses(allowList, resolver);
    this.http = new RegistryHttp(settings, addresses);
    this.auth = new RegistryAuth(http, allowList, settings.cacheSize(), clock);
  }

  public RegistryAllowList allowList() {
    return allowList;
  }

  /** Where this client's registries may send it, for whoever follows their redirects. */
  public UpstreamAddresses addresses() {
    return addresses;
  }

  /** Headers that authorise pulling from the image's repository (empty for anonymous registries). */
  public CompletionStage<Map<String, String>> authHeaders(ImageReference image) {
    return allowed(image).thenCompose(ignored -> auth.headersFor(image));
  }

  /** The URI and headers for {@code GET /v2/<repo>/blobs/<digest>}; contacts nothing but auth. */
  public CompletionStage<BlobLocation> locateBlob(ImageReference image, String digest) {
    if (!ImageReference.DIGEST.matcher(digest).matches()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("not a sha256 digest: " + digest));
    }
    return authHeaders(image).thenApply(headers -> new BlobLocation(blobUri(image, digest), headers));
  }

  public URI blobUri(ImageReference image, String digest) {
    return allowList.baseUri(image.registry()).resolve("/v2/" + image.repository() + "/blobs/" + digest);
  }

  /** Drops the cached token and probe of the image's registry, after the registry refused them. */
  public void forgetCredentials(ImageReference image) {
    auth.forget(image);
  }

  /** The manifest the reference names (its digest, else its tag), verified against the digest when pinned. */
  public CompletionStage<FetchedManifest> fetchManifest(ImageReference image, List<String> accept) {
    return fetchVerified(image, image.manifestReference(), accept, Optional.empty());
  }

  /** The manifest an index entry describes, verified against the entry's digest and size. */
  public CompletionStage<FetchedManifest> fetchManifest(ImageReference image, Descriptor expected, List<String> accept) {
    return fetchVerified(image, expected.digest(), accept, Optional.of(expected));
  }

  private CompletableFuture<FetchedManifest> fetchVerified(
      ImageReference image, String reference, List<String> accept, Optional<Descriptor> expected) {
    ManifestRequest request = new ManifestRequest(image, reference, accept);
    return allowed(image)
        .thenCompose(ignored -> getManifest(request, true))
        .thenApply(response -> verified(request, response, expected));
  }

  private record ManifestRequest(ImageReference image, String reference, List<String> accept) {
    String describe() {
      return "manifest " + reference + " of " + image.familiarName();
    }
  }

  private CompletableFuture<RegistryHttp.Response> getManifest(ManifestRequest request, boolean retryOnRefusal) {
    URI uri = allowList.baseUri(request.image().registry())
        .resolve("/v2/" + request.image().repository() + "/manifests/" + request.reference());
    return auth.headersFor(request.image()).thenCompose(authHeaders -> {
      Map<String, String> headers = new LinkedHashMap<>(authHeaders);
      headers.put("Accept", String.join(", ", request.accept()));
      return http.get(uri, headers);
    }).thenCompose(response -> {
      if (response.status() == 401 && retryOnRefusal) {
        auth.forget(request.image()); // a token revoked or expired early: fetch a fresh one once
        return getManifest(request, false);
      }
      return CompletableFuture.completedFuture(response);
    });
  }

  private static FetchedManifest verified(ManifestRequest request, RegistryHttp.Response response, Optional<Descriptor> expected) {
    switch (response.status()) {
      case 200 -> { }
      case 404 -> throw new RegistryException(NOT_FOUND, request.describe() + " not found");
      case 401, 403 -> throw new RegistryException(AUTH_FAILED, request.describe() + ": registry refused access (" + response.status() + ")");
      default -> throw new RegistryException(BAD_RESPONSE, request.describe() + ": registry answered " + response.status());
    }
    String actual = sha256(response.body());
    String wanted = expected.map(Descriptor::digest).or(() -> request.image().digest())
        .orElse(response.header("Docker-Content-Digest"));
    if (wanted != null && !wanted.equals(actual)) {
      throw new RegistryException(DIGEST_MISMATCH, request.describe() + " has digest " + actual + ", expected " + wanted);
    }
    if (expected.isPresent() && expected.get().size() != response.body().length) {
      throw new RegistryException(DIGEST_MISMATCH, request.describe() + " is " + response.body().length
          + " bytes, its descriptor says " + expected.get().size());
    }
    return new FetchedManifest(response.body(), mediaType(response), actual);
  }

  private static String mediaType(RegistryHttp.Response response) {
    String contentType = Optional.ofNullable(response.header("Content-Type")).orElse("");
    return contentType.split(";", 2)[0].trim();
  }

  private CompletableFuture<Void> allowed(ImageReference image) {
    try {
      allowList.check(image);
      return CompletableFuture.completedFuture(null);
    } catch (RegistryException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
