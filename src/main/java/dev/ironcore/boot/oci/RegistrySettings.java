package dev.ironcore.boot.oci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the registry client reaches registries and how long it remembers what it learnt. The
 * integrator builds it from {@code boot.*} properties.
 *
 * @param allowedRegistries registries we may talk to (empty = {@code ghcr.io})
 * @param insecureRegistries non-loopback registries reached over plain HTTP
 * @param allowedRepositories {@code registry/repository} patterns, a trailing {@code *} a prefix (empty = any)
 * @param caBundle PEM file of extra CAs trusted for HTTPS, in addition to the JDK's
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout time allowed for one metadata request (probe, token, manifest)
 * @param tagTtl how long a tag → manifest digest resolution is reused
 * @param staleTagMaxAge how old the registry's last answer for a tag may be and still be used while it cannot answer
 * @param cacheSize bound on each cache (tokens, auth probes, manifests, tags)
 */
public record RegistrySettings(
    List<String> allowedRegistries,
    List<String> insecureRegistries,
    List<String> allowedRepositories,
    Optional<Path> caBundle,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration tagTtl,
    Duration staleTagMaxAge,
    int cacheSize) {

  public RegistrySettings {
    allowedRegistries = List.copyOf(allowedRegistries);
    insecureRegistries = List.copyOf(insecureRegistries);
    allowedRepositories = List.copyOf(allowedRepositories);
    if (cacheSize < 1) {
      throw new IllegalArgumentException("cacheSize must be at least 1, was " + cacheSize);
    }
  }

  /**
   * ghcr.io only, HTTPS, 5 s connect, 30 s per request, tags re-resolved after 1 minute, and the last
   * answer for a tag used for up to a day while the registry cannot give a new one.
   */
  public static RegistrySettings defaults() {
    return new RegistrySettings(List.of(), List.of(), List.of(), Optional.empty(),
        Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofDays(1), 1024);
  }

  public RegistrySettings withAllowedRegistries(List<String> registries) {
    return new RegistrySettings(registries, insecureRegistries, allowedRepositories, caBundle, connectTimeout, requestTimeout, tagTtl, staleTagMaxAge, cacheSize);
  }

  public RegistrySettings withTimeouts(Duration connect, Duration request) {
    return new RegistrySettings(allowedRegistries, insecureRegistries, allowedRepositories, caBundle, connect, request, tagTtl, staleTagMaxAge, cacheSize);
  }

  public RegistrySettings withTagTtl(Duration ttl) {
    return new RegistrySettings(allowedRegistries, insecureRegistries, allowedRepositories, caBundle, connectTimeout,
        requestTimeout, ttl, staleTagMaxAge, cacheSize);
  }

  public RegistrySettings withAllowedRepositories(List<String> patterns) {
    return new RegistrySettings(allowedRegistries, insecureRegistries, patterns, caBundle, connectTimeout,
        requestTimeout, tagTtl, staleTagMaxAge, cacheSize);
  }
}
