package dev.ironcore.boot.config;

import dev.ironcore.boot.oci.RegistrySettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting of the service, read once from {@code boot.*} properties (each overridable by its
 * environment variable, e.g. {@code BOOT_IPXE_SERVICE_URL}) and validated at start-up.
 */
public record BootSettings(
    String architecture,
    String ipxeServiceUrl,
    String imageServerUrl,
    String defaultHttpBootOciImage,
    String defaultHttpBootUkiUrl,
    ListenAddress bootServerAddress,
    ListenAddress imageProxyServerAddress,
    ListenAddress metricsAddress,
    ListenAddress healthProbeAddress,
    List<String> allowedRegistries,
    List<String> insecureRegistries,
    Optional<Path> registryCaBundle,
    Set<String> controllers,
    LeaderElection leaderElection,
    ReconcileTiming reconcileTiming,
    String cluster,
    Path manifestsDir,
    Optional<Path> blobCacheDir,
    long blobCacheMaxBytes,
    boolean blobCacheEnabled,
    Duration registryIdleTimeout,
    boolean imagePrefetch) {

  public static final Set<String> ALL_CONTROLLERS =
      Set.of("ipxebootconfig", "serverbootconfigpxe", "serverbootconfighttp", "httpbootconfig");

  /** Cluster modes: {@code auto} (embedded unless a cluster is configured), {@code embedded}, {@code kubernetes}. */
  public static final Set<String> CLUSTER_MODES = Set.of("auto", "embedded", "kubernetes");

  /**
   * Builds the settings from a property lookup (null for unset) and the process environment (for
   * the Go operator's {@code IPXE_SERVER_ADDRESS} fallback).
   */
  public static BootSettings from(Function<String, String> property, Function<String, String> env) {
    SettingReader read = new SettingReader(property);
    Set<String> controllers = read.controllers("boot.controllers");
    return new BootSettings(
        read.nonBlank("boot.architecture", "amd64"),
        serviceUrl(read, env),
        read.optionalUrl("boot.image-server-url"),
        read.string("boot.default-httpboot-oci-image", ""),
        read.optionalUrl("boot.default-httpboot-uki-url"),
        read.address("boot.boot-server-address", ":8082"),
        read.address("boot.image-proxy-server-address", ":8083"),
        read.address("boot.metrics-bind-address", ":8080"),
        read.address("boot.health-probe-bind-address", ":8081"),
        read.list("boot.allowed-registries", "ghcr.io"),
        read.list("boot.insecure-registries", ""),
        read.optionalFile("boot.registry-ca-bundle"),
        controllers,
        leaderElection(read, env),
        reconcileTiming(read),
        read.oneOf("boot.cluster", "auto", CLUSTER_MODES),
        Path.of(read.nonBlank("boot.manifests-dir", "k8s/samples")),
        read.optionalPath("boot.blob-cache-dir"),
        read.bytes("boot.blob-cache-max-bytes", "20Gi"),
        read.bool("boot.blob-cache-enabled", true),
        read.duration("boot.registry-idle-timeout", "30s"),
        read.bool("boot.image-prefetch", true));
  }

  /** The same settings with another iPXE service URL (embedded mode fills in its own). */
  public BootSettings withIpxeServiceUrl(String url) {
    return new BootSettings(architecture, stripTrailingSlash(url), imageServerUrl, defaultHttpBootOciImage,
        defaultHttpBootUkiUrl, bootServerAddress, imageProxyServerAddress, metricsAddress,
        healthProbeAddress, allowedRegistries, insecureRegistries, registryCaBundle, controllers, leaderElection,
        reconcileTiming, cluster, manifestsDir, blobCacheDir, blobCacheMaxBytes, blobCacheEnabled,
        registryIdleTimeout, imagePrefetch);
  }

  /**
   * Refuses to start a PXE controller without a URL to put into the boot configs (COMPAT §1); embedded
   * mode fills in its own before this check.
   */
  public void requireIpxeServiceUrlForPxe() {
    if (controllers.contains("serverbootconfigpxe") && !ipxeEnabled()) {
      throw new InvalidSettingException("boot.ipxe-service-url", ipxeServiceUrl,
          "must be set (or IPXE_SERVER_ADDRESS) while the serverbootconfigpxe controller is enabled;"
              + " set it, or leave serverbootconfigpxe out of boot.controllers");
    }
  }

  /** How the registry client reaches registries. */
  public RegistrySettings registrySettings() {
    RegistrySettings defaults = RegistrySettings.defaults();
    return new RegistrySettings(allowedRegistries, insecureRegistries, registryCaBundle,
        defaults.connectTimeout(), defaults.requestTimeout(), defaults.tagTtl(), defaults.cacheSize());
  }

  /** True when iPXE serving is switched on (a service URL is known). */
  public boolean ipxeEnabled() {
    return !ipxeServiceUrl.isEmpty();
  }

  private static String serviceUrl(SettingReader read, Function<String, String> env) {
    String url = read.optionalUrl("boot.ipxe-service-url");
    if (!url.isEmpty()) {
      return stripTrailingSlash(url);
    }
    String protocol = read.oneOf("boot.ipxe-service-protocol", "http", Set.of("http", "https"));
    int port = read.port("boot.ipxe-service-port", 5000);
    String address = env.apply("IPXE_SERVER_ADDRESS");
    if (address != null && !address.isBlank()) {
      return protocol + "://" + address.trim() + ":" + port;
    }
    return "";
  }

  /** True when only the holder of the Lease reconciles. */
  public boolean leaderElect() {
    return leaderElection.enabled();
  }

  /** Lease and pods in the pod's namespace (POD_NAMESPACE); this replica is POD_NAME, else HOSTNAME. */
  private static LeaderElection leaderElection(SettingReader read, Function<String, String> env) {
    String namespace = Optional.ofNullable(env.apply("POD_NAMESPACE")).orElse("default");
    String pod = Optional.ofNullable(env.apply("POD_NAME")).orElse(Optional.ofNullable(env.apply("HOSTNAME")).orElse(""));
    LeaderElection dflt = LeaderElection.DEFAULT;
    return new LeaderElection(read.bool("boot.leader-elect", false),
        read.nonBlank("boot.leader-election-namespace", namespace),
        read.string("boot.leader-election-pod-name", pod),
        read.duration("boot.leader-election-lease-duration", dflt.leaseDuration()),
        read.duration("boot.leader-election-renew-deadline", dflt.renewDeadline()),
        read.duration("boot.leader-election-retry-period", dflt.retryPeriod()));
  }

  private static ReconcileTiming reconcileTiming(SettingReader read) {
    ReconcileTiming dflt = ReconcileTiming.DEFAULT;
    Duration initial = read.duration("boot.reconcile-retry-initial", dflt.retryInitial());
    Duration max = read.duration("boot.reconcile-retry-max", dflt.retryMax());
    if (max.compareTo(initial) < 0) {
      throw new InvalidSettingException("boot.reconcile-retry-max", max.toString(),
          "must not be below boot.reconcile-retry-initial");
    }
    return new ReconcileTiming(initial, dflt.retryFactor(), max,
        read.duration("boot.resync-period", dflt.resyncPeriod()),
        read.duration("boot.reconcile-stall-timeout", dflt.stallTimeout()));
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Reads and checks single properties; every failure names its property. */
  private record SettingReader(Function<String, String> property) {
    private static final Pattern BYTES = Pattern.compile("(\\d{1,18})\\s*((?:[KMGT]i?)?)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    String string(String key, String dflt) {
      String value = property.apply(key);
      return value == null ? dflt : value.trim();
    }

    String nonBlank(String key, String dflt) {
      String value = string(key, dflt);
      if (value.isEmpty()) {
        throw new InvalidSettingException(key, value, "must not be empty");
      }
      return value;
    }

    String optionalUrl(String key) {
      String value = string(key, "");
      if (value.isEmpty()) {
        return value;
      }
      try {
        URI uri = new URI(value);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
          throw new InvalidSettingException(key, value, "expected an http(s) URL with a host");
        }
      } catch (java.net.URISyntaxException e) {
        throw new InvalidSettingException(key, value, "not a URL (" + e.getReason() + ")");
      }
      return value;
    }

    Optional<Path> optionalPath(String key) {
      String value = string(key, "");
      return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /** A byte count: digits with an optional K, M, G or T (powers of 1000) or Ki, Mi, Gi, Ti suffix. */
    long bytes(String key, String dflt) {
      String value = string(key, dflt);
      Matcher matcher = BYTES.matcher(value);
      if (!matcher.matches()) {
        throw new InvalidSettingException(key, value, "expected a byte count such as 20Gi or 500M");
      }
      String unit = matcher.group(2);
      int power = unit.isEmpty() ? 0 : "KMGT".indexOf(unit.charAt(0)) + 1;
      long base = unit.endsWith("i") ? 1024 : 1000;
      try {
        return Math.multiplyExact(Long.parseLong(matcher.group(1)), (long) Math.pow(base, power));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new InvalidSettingException(key, value, "too large");
      }
    }

    /** A positive duration: digits and ms, s, m or h. */
    Duration duration(String key, String dflt) {
      String value = string(key, dflt);
      Matcher matcher = DURATION.matcher(value);
      if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
        throw new InvalidSettingException(key, value, "expected a positive duration such as 30s, 500ms or 2m");
      }
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }

    Optional<Path> optionalFile(String key) {
      String value = string(key, "");
      if (value.isEmpty()) {
        return Optional.empty();
      }
      if (!Files.isReadable(Path.of(value))) {
        throw new InvalidSettingException(key, value, "file not found or not readable");
      }
      return Optional.of(Path.of(value));
    }

    ListenAddress address(String key, String dflt) {
      return ListenAddress.parse(key, string(key, dflt));
    }

    int port(String key, int dflt) {
      String value = string(key, String.valueOf(dflt));
      return ListenAddress.parse(key, ":" + value).port();
    }

    boolean bool(String key, boolean dflt) {
      String value = string(key, String.valueOf(dflt)).toLowerCase();
      if (!value.equals("true") && !value.equals("false")) {
        throw new InvalidSettingException(key, value, "expected true or false");
      }
      return Boolean.parseBoolean(value);
    }

    String oneOf(String key, String dflt, Set<String> allowed) {
      String value = string(key, dflt);
      if (!allowed.contains(value)) {
        throw new InvalidSettingException(key, value, "expected one of " + allowed);
      }
      return value;
    }

    List<String> list(String key, String dflt) {
      String value = string(key, "");
      String effective = value.isEmpty() ? dflt : value;
      return Arrays.stream(effective.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A positive duration such as {@code 500ms}, {@code 2s}, {@code 5m} or {@code 1h}. */
    Duration duration(String key, Duration dflt) {
      String value = string(key, "");
      if (value.isEmpty()) {
        return dflt;
      }
      Matcher parts = DURATION.matcher(value);
      if (!parts.matches() || Long.parseLong(parts.group(1)) == 0) {
        throw new InvalidSettingException(key, value, "expected a positive duration such as 500ms, 2s, 5m or 1h");
      }
      long amount = Long.parseLong(parts.group(1));
      return switch (parts.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }

    Set<String> controllers(String key) {
      Set<String> result = new LinkedHashSet<>(list(key, String.join(",", ALL_CONTROLLERS)));
      for (String name : result) {
        if (!ALL_CONTROLLERS.contains(name)) {
          throw new InvalidSettingException(key, name, "unknown controller; known: " + ALL_CONTROLLERS);
        }
      }
      return Set.copyOf(result);
    }
  }
}
