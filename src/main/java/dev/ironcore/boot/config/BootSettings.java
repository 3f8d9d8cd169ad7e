package dev.ironcore.boot.config;

import dev.ironcore.boot.oci.RegistrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
    List<String> allowedRepositories,
    Optional<Path> registryCaBundle,
    Duration registryTagTtl,
    Duration registryStaleTagMaxAge,
    Set<String> controllers,
    LeaderElection leaderElection,
    ReconcileTiming reconcileTiming,
    String cluster,
    Path manifestsDir,
    Optional<Path> blobCacheDir,
    long blobCacheMaxBytes,
    boolean blobCacheEnabled,
    Duration registryIdleTimeout,
    boolean imagePrefetch,
    LeaderElectionId leaderElectionId,
    MetricsServing metricsServing,
    TlsSettings tls,
    SecretWatchSettings secretWatch,
    ClientBindingSettings clientBinding,
    ButaneSettings butane,
    WorkerThreadSettings workerThreads,
    HttpDefenseSettings httpDefense,
    ImageProxyScopeSettings imageProxyScope,
    DownloadLimitSettings downloadLimits,
    ShutdownSettings shutdown) {

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
    ListenAddress healthProbe = read.address("boot.health-probe-bind-address", ":8081");
    // controller-runtime's "0" switches the metrics listener off; /metrics stays on the probe port
    String metrics = read.string("boot.metrics-bind-address", ":8080");
    return new BootSettings(
        read.nonBlank("boot.architecture", "amd64"),
        serviceUrl(read, env),
        read.optionalUrl("boot.image-server-url"),
        read.string("boot.default-httpboot-oci-image", ""),
        read.optionalUrl("boot.default-httpboot-uki-url"),
        read.address("boot.boot-server-address", ":8082"),
        read.address("boot.image-proxy-server-address", ":8083"),
        metrics.equals("0") ? healthProbe : read.address("boot.metrics-bind-address", ":8080"),
        healthProbe,
        read.list("boot.allowed-registries", "ghcr.io"),
        read.list("boot.insecure-registries", ""),
        read.list("boot.allowed-repositories", ""),
        read.optionalFile("boot.registry-ca-bundle"),
        read.duration("boot.registry-tag-ttl", RegistrySettings.defaults().tagTtl()),
        read.duration("boot.registry-stale-tag-max-age", RegistrySettings.defaults().staleTagMaxAge()),
        controllers,
        leaderElection(read, env),
        reconcileTiming(read),
        read.oneOf("boot.cluster", "auto", CLUSTER_MODES),
        Path.of(read.nonBlank("boot.manifests-dir", "k8s/samples")),
        read.optionalPath("boot.blob-cache-dir"),
        read.bytes("boot.blob-cache-max-bytes", "20Gi"),
        read.bool("boot.blob-cache-enabled", true),
        read.duration("boot.registry-idle-timeout", "30s"),
        read.bool("boot.image-prefetch", true),
        LeaderElectionId.read(read),
        MetricsServing.read(read),
        TlsSettings.read(read),
        SecretWatchSettings.read(read),
        ClientBindingSettings.read(read),
        ButaneSettings.from(read),
        WorkerThreadSettings.from(read),
        HttpDefenseSettings.read(read),
        ImageProxyScopeSettings.read(read),
        DownloadLimitSettings.read(read),
        ShutdownSettings.read(read));
  }

  /** The same settings with another iPXE service URL (embedded mode fills in its own). */
  public BootSettings withIpxeServiceUrl(String url) {
    return new BootSettings(architecture, stripTrailingSlash(url), imageServerUrl, defaultHttpBootOciImage,
        defaultHttpBootUkiUrl, bootServerAddress, imageProxyServerAddress, metricsAddress,
        healthProbeAddress, allowedRegistries, insecureRegistries, allowedRepositories, registryCaBundle,
        registryTagTtl, registryStaleTagMaxAge, controllers, leaderElection, reconcileTiming, cluster, manifestsDir, blobCacheDir, blobCacheMaxBytes, blobCacheEnabled,
        registryIdleTimeout, imagePrefetch, leaderElectionId, metricsServing, tls,
        secretWatch, clientBinding, butane, workerThreads, httpDefense, imageProxyScope, downloadLimits,
        shutdown);
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
    return new RegistrySettings(allowedRegistries, insecureRegistries, allowedRepositories, registryCaBundle,
        defaults.connectTimeout(), defaults.requestTimeout(), registryTagTtl, registryStaleTagMaxAge,
        defaults.cacheSize());
  }

  /** True when iPXE serving is switched on (a service URL is known). */
  public boolean ipxeEnabled() {
    return !ipxeServiceUrl.isEmpty();
  }

  private static String serviceUrl(SettingReader read, Function<String, String> env) {
    String url = read.scriptUrl("boot.ipxe-service-url");
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

  /**
   * The Lease in the pod's namespace (POD_NAMESPACE, else empty: the client's, in a pod its service
   * account's); this replica is POD_NAME, else HOSTNAME.
   */
  private static LeaderElection leaderElection(SettingReader read, Function<String, String> env) {
    String namespace = Optional.ofNullable(env.apply("POD_NAMESPACE")).orElse("");
    String pod = Optional.ofNullable(env.apply("POD_NAME")).orElse(Optional.ofNullable(env.apply("HOSTNAME")).orElse(""));
    LeaderElection dflt = LeaderElection.DEFAULT;
    return new LeaderElection(read.bool("boot.leader-elect", false),
        read.string("boot.leader-election-namespace", namespace),
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
}
