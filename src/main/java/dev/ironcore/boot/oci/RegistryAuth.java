package dev.ironcore.boot.oci;

import static dev.ironcore.boot.oci.RegistryException.Kind.AUTH_FAILED;
import static dev.ironcore.boot.oci.RegistryException.Kind.DETECTION_FAILED;
import static dev.ironcore.boot.oci.RegistryException.Kind.REFUSED_UPSTREAM;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds out how a registry wants to be asked ({@code GET /v2/}: 200 anonymous, 401 with a Bearer
 * challenge → anonymous pull token) and keeps the answers: the probe per registry, the token per
 * registry and repository until shortly before it expires. Concurrent callers for the same
 * repository share one probe and one token request.
 */
final class RegistryAuth {
  /** How long a registry's probe answer is trusted (the Go operator also keeps it 15 minutes). */
  static final Duration PROBE_TTL = Duration.ofMinutes(15);
  private static final Map<String, String> ANONYMOUS = Map.of();

  private final RegistryHttp http;
  private final RegistryAllowList allowList;
  private final Clock clock;
  private final ExpiringCache<String, Optional<BearerChallenge>> probes;
  private final ExpiringCache<String, RegistryToken> tokens;
  private final Map<String, CompletableFuture<Map<String, String>>> inFlight = new ConcurrentHashMap<>();

  RegistryAuth(RegistryHttp http, RegistryAllowList allowList, int cacheSize, Clock clock) {
    this.http = http;
    this.allowList = allowList;
    this.clock = clock;
    this.probes = new ExpiringCache<>(cacheSize, clock);
    this.tokens = new ExpiringCache<>(cacheSize, clock);
  }

  /** The headers that authorise a pull of the image's repository: none, or a Bearer token. */
  CompletableFuture<Map<String, String>> headersFor(ImageReference image) {
    String key = key(image);
    Optional<RegistryToken> cached = tokens.get(key);
    if (cached.isPresent()) {
      return CompletableFuture.completedFuture(Map.of("Authorization", cached.get().authorizationHeader()));
    }
    CompletableFuture<Map<String, String>> mine = new CompletableFuture<>();
    CompletableFuture<Map<String, String>> shared = inFlight.putIfAbsent(key, mine);
    if (shared != null) {
      return shared;
    }
    challenge(image.registry())
        .thenCompose(challenge -> challenge.isEmpty() ? CompletableFuture.completedFuture(ANONYMOUS)
            : token(challenge.get(), image, allowList.baseUri(image.registry())).thenApply(t -> Map.of("Authorization", t.authorizationHeader())))
        .whenComplete((headers, error) -> {
          inFlight.remove(key, mine);
          if (error != null) {
            mine.completeExceptionally(error);
          } else {
            mine.complete(headers);
          }
        });
    return mine;
  }

  /** Forgets what we know of the repository's registry, after it refused what we sent. */
  void forget(ImageReference image) {
    tokens.remove(key(image));
    probes.remove(image.registry());
  }

  private CompletableFuture<Optional<BearerChallenge>> challenge(String registry) {
    Optional<Optional<BearerChallenge>> known = probes.get(registry);
    if (known.isPresent()) {
      return CompletableFuture.completedFuture(known.get());
    }
    URI probe = allowList.baseUri(registry).resolve("/v2/");
    return http.get(probe, Map.of()).thenApply(response -> {
      Optional<BearerChallenge> challenge = switch (response.status()) {
        case 200 -> Optional.empty();
        case 401 -> Optional.of(BearerChallenge.parse(response.header("WWW-Authenticate")).orElseThrow(
            () -> new RegistryException(DETECTION_FAILED, registry + " asks for authentication other than Bearer tokens")));
        default -> throw new RegistryException(DETECTION_FAILED,
            registry + " answered " + response.status() + " to GET /v2/, which is not a registry API answer");
      };
      probes.put(registry, challenge, clock.instant().plus(PROBE_TTL));
      return challenge;
    });
  }

  private CompletableFuture<RegistryToken> token(BearerChallenge challenge, ImageReference image, URI registry) {
    URI uri = tokenUri(challenge, image.repository());
    return http.getAfterHop(registry, uri, UpstreamAddresses.Hop.TOKEN_REALM, Map.of())
        .exceptionally(error -> {
          if (root(error) instanceof RegistryException refused && refused.kind() == REFUSED_UPSTREAM) {
            throw refused; // the token endpoint's redirect went where none may: say so, not "authentication failed"
          }
          throw new RegistryException(AUTH_FAILED, "token endpoint " + uri.getHost() + " failed: " + root(error).getMessage(), error);
        })
        .thenApply(response -> {
          if (response.status() != 200) {
            throw new RegistryException(AUTH_FAILED,
                "token endpoint " + uri.getHost() + " answered " + response.status() + " for " + image.familiarName());
          }
          RegistryToken token = RegistryToken.parse(response.body(), clock.instant());
          tokens.put(key(image), token, token.usableUntil());
          return token;
        });
  }

  static URI tokenUri(BearerChallenge challenge, String repository) {
    URI realm;
    try {
      realm = URI.create(challenge.realm());
    } catch (IllegalArgumentException e) {
      throw new RegistryException(DETECTION_FAILED, "the registry's token realm is not a URL: " + challenge.realm(), e);
    }
    if (!"https".equalsIgnoreCase(realm.getScheme()) && !"http".equalsIgnoreCase(realm.getScheme()) || realm.getHost() == null) {
      throw new RegistryException(DETECTION_FAILED, "the registry's token realm is not an http(s) URL: " + challenge.realm());
    }
    String query = "service=" + encode(challenge.service()) + "&scope=" + encode("repository:" + repository + ":pull");
    return URI.create(challenge.realm() + (challenge.realm().contains("?") ? "&" : "?") + query);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Throwable root(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof RegistryException)) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String key(ImageReference image) {
    return image.registry() + "/" + image.repository();
  }
}
