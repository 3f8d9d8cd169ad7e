package dev.ironcore.boot.oci;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which registries (and, with {@code boot.allowed-repositories}, which of their repositories) we may
 * talk to, and over which scheme. Docker Hub's names ({@code docker.io},
 * {@code index.docker.io}, {@code registry-1.docker.io}) are one registry. HTTPS unless the
 * registry is on loopback (as containerd does for localhost) or listed as insecure.
 */
public class RegistryAllowList {
  public static final String DEFAULT_REGISTRY = "ghcr.io";
  /** What a client is told when the registry is allowed but the repository is not. */
  public static final String REPOSITORY_NOT_ALLOWED = "repository not allowed (boot.allowed-repositories)";
  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");
  private static final Pattern IPV4_LITERAL = Pattern.compile("(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

  private final Set<String> allowed;
  private final Set<String> insecure;
  private final Set<String> allowedHosts;
  private final Set<InetAddress> literalAddresses;
  private final List<String> repositoryPatterns;

  public RegistryAllowList(List<String> allowedRegistries, List<String> insecureRegistries) {
    this(allowedRegistries, insecureRegistries, List.of());
  }

  /**
   * {@code repositoryPatterns}: {@code registry/repository}, where a trailing {@code *} matches any rest
   * ({@code ghcr.io/ironcore-dev/*}); empty allows every repository of an allowed registry.
   */
  public RegistryAllowList(List<String> allowedRegistries, List<String> insecureRegistries,
      List<String> repositoryPatterns) {
    Set<String> configured = normalised(allowedRegistries);
    this.allowed = configured.isEmpty() ? Set.of(DEFAULT_REGISTRY) : configured;
    this.insecure = normalised(insecureRegistries);
    this.allowedHosts = allowed.stream().map(RegistryAllowList::hostOf).collect(Collectors.toUnmodifiableSet());
    this.literalAddresses = allowedHosts.stream().map(RegistryAllowList::literal).flatMap(Optional::stream)
        .collect(Collectors.toUnmodifiableSet());
    this.repositoryPatterns = repositoryPatterns.stream().filter(pattern -> !pattern.isBlank())
        .map(RegistryAllowList::canonicalPattern).toList();
  }

  public RegistryAllowList(RegistrySettings settings) {
    this(settings.allowedRegistries(), settings.insecureRegistries(), settings.allowedRepositories());
  }

  public boolean isAllowed(ImageReference image) {
    return allowed.contains(canonical(image.registry()));
  }

  /** Throws {@link RegistryException.Kind#NOT_ALLOWED} unless the image's registry and repository are allowed. */
  public void check(ImageReference image) {
    if (!isAllowed(image)) {
      throw new RegistryException(RegistryException.Kind.NOT_ALLOWED,
          "registry " + image.domain() + " is not allowed (allowed: " + String.join(", ", allowed) + ")");
    }
    if (!repositoryAllowed(image)) {
      throw new RegistryException(RegistryException.Kind.NOT_ALLOWED, "repository " + image.domain() + "/"
          + image.repository() + " is not in boot.allowed-repositories (" + String.join(", ", repositoryPatterns)
          + ")", REPOSITORY_NOT_ALLOWED);
    }
  }

  private boolean repositoryAllowed(ImageReference image) {
    if (repositoryPatterns.isEmpty()) {
      return true;
    }
    String name = canonical(image.registry()) + "/" + image.repository();
    return repositoryPatterns.stream().anyMatch(pattern -> pattern.endsWith("*")
        ? name.startsWith(pattern.substring(0, pattern.length() - 1)) : name.equals(pattern));
  }

  /** A pattern with its registry as {@link #canonical} writes it, so Docker Hub's names match alike. */
  private static String canonicalPattern(String pattern) {
    String trimmed = pattern.trim().toLowerCase(Locale.ROOT);
    int slash = trimmed.indexOf('/');
    return slash < 0 ? trimmed : canonical(trimmed.substring(0, slash)) + trimmed.substring(slash);
  }

  /** {@code https://<registry>} or, for loopback and insecure registries, {@code http://<registry>}. */
  public URI baseUri(String registry) {
    String host = canonical(registry);
    String scheme = isLoopback(host) || insecure.contains(host) ? "http" : "https";
    return URI.create(scheme + "://" + host);
  }

  /** Whether {@code host} (lower case, no brackets, no port) is the host of an allowed registry, on any port. */
  public boolean isRegistryHost(String host) {
    return allowedHosts.contains(host);
  }

  /** The addresses of the allowed registries configured as IP literals (e.g. 127.0.0.1 of 127.0.0.1:5000). */
  public Set<InetAddress> literalAddresses() {
    return literalAddresses;
  }

  /** The host of a registry entry: no port, no IPv6 brackets. */
  private static String hostOf(String registry) {
    return registry.startsWith("[") ? registry.substring(1, Math.max(1, registry.indexOf(']')))
        : registry.split(":", 2)[0];
  }

  /** The address an IP literal host names; empty for a name, which is never looked up here. */
  private static Optional<InetAddress> literal(String host) {
    if (!IPV4_LITERAL.matcher(host).matches() && !IPV6_LITERAL.matcher(host).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(host)); // an IP literal: parsed, never looked up
    } catch (UnknownHostException e) {
      return Optional.empty(); // colons and hex digits that are no address: a name the registry check refuses anyway
    }
  }

  /** Loopback by name or literal only: never resolved through DNS, which an attacker may control. */
  static boolean isLoopback(String hostAndPort) {
    String host = hostAndPort.startsWith("[")
        ? hostAndPort.substring(0, hostAndPort.indexOf(']') + 1)
        : hostAndPort.split(":", 2)[0];
    return host.equals("localhost") || host.equals("[::1]") || IPV4_LOOPBACK.matcher(host).matches();
  }

  static String canonical(String registry) {
    String host = registry.trim().toLowerCase(Locale.ROOT);
    return switch (host) {
      case ImageReference.DOCKER_HUB, "index.docker.io" -> ImageReference.DOCKER_HUB_REGISTRY;
      default -> host;
    };
  }

  private static Set<String> normalised(List<String> registries) {
    return registries.stream().map(String::trim).filter(r -> !r.isEmpty())
        .map(RegistryAllowList::canonical).collect(Collectors.toUnmodifiableSet());
  }
}
