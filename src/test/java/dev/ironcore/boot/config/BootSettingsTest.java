package dev.ironcore.boot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ironcore.boot.oci.RegistrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootSettingsTest {
  private static BootSettings read(Map<String, String> properties, Map<String, String> env) {
    return BootSettings.from(properties::get, env::get);
  }

  @Test
  void defaultsAreThoseOfTheGoFlags() {
    BootSettings settings = read(Map.of(), Map.of());

    assertThat(settings.architecture()).isEqualTo("amd64");
    assertThat(settings.ipxeServiceUrl()).isEmpty();
    assertThat(settings.ipxeEnabled()).isFalse();
    assertThat(settings.bootServerAddress()).isEqualTo(new ListenAddress("0.0.0.0", 8082));
    assertThat(settings.imageProxyServerAddress().port()).isEqualTo(8083);
    assertThat(settings.metricsAddress().port()).isEqualTo(8080);
    assertThat(settings.healthProbeAddress().port()).isEqualTo(8081);
    assertThat(settings.allowedRegistries()).containsExactly("ghcr.io");
    assertThat(settings.controllers()).containsExactlyInAnyOrderElementsOf(BootSettings.ALL_CONTROLLERS);
    assertThat(settings.leaderElect()).isFalse();
    assertThat(settings.reconcileTiming()).isEqualTo(ReconcileTiming.DEFAULT);
  }

  @Test
  void reconcileTimingReadsDurationsWithUnits() {
    BootSettings settings = read(Map.of("boot.reconcile-retry-initial", "50ms", "boot.reconcile-retry-max", "2s",
        "boot.resync-period", "5m"), Map.of());

    assertThat(settings.reconcileTiming().retryInitial()).isEqualTo(Duration.ofMillis(50));
    assertThat(settings.reconcileTiming().retryMax()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.reconcileTiming().resyncPeriod()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void reconcileTimingRefusesUnitlessZeroOrInvertedDurations() {
    assertThatThrownBy(() -> read(Map.of("boot.resync-period", "10"), Map.of()))
        .hasMessageContaining("boot.resync-period");
    assertThatThrownBy(() -> read(Map.of("boot.reconcile-retry-initial", "0s"), Map.of()))
        .hasMessageContaining("boot.reconcile-retry-initial");
    assertThatThrownBy(() -> read(Map.of("boot.reconcile-retry-initial", "1m", "boot.reconcile-retry-max", "2s"),
        Map.of())).hasMessageContaining("boot.reconcile-retry-max");
  }

  @Test
  void theServiceUrlFallsBackToIpxeServerAddress() {
    BootSettings settings = read(Map.of("boot.ipxe-service-port", "8082"), Map.of("IPXE_SERVER_ADDRESS", "10.0.0.5"));

    assertThat(settings.ipxeServiceUrl()).isEqualTo("http://10.0.0.5:8082");
  }

  @Test
  void anExplicitServiceUrlWinsAndLosesItsTrailingSlash() {
    BootSettings settings = read(Map.of("boot.ipxe-service-url", "https://boot.example/"),
        Map.of("IPXE_SERVER_ADDRESS", "10.0.0.5"));

    assertThat(settings.ipxeServiceUrl()).isEqualTo("https://boot.example");
  }

  @Test
  void listsAreCommaSeparatedAndTrimmed() {
    BootSettings settings = read(Map.of("boot.allowed-registries", " ghcr.io , registry.example:5000",
        "boot.controllers", "ipxebootconfig, httpbootconfig"), Map.of());

    assertThat(settings.allowedRegistries()).containsExactly("ghcr.io", "registry.example:5000");
    assertThat(settings.controllers()).containsExactlyInAnyOrder("ipxebootconfig", "httpbootconfig");
  }

  @Test
  void aServiceUrlThatIsNoUrlIsTakenAsGivenAsGoTakesIt() {
    // the upstream Helm chart's default value
    assertThat(read(Map.of("boot.ipxe-service-url", "ipxe-service-url"), Map.of()).ipxeServiceUrl())
        .isEqualTo("ipxe-service-url");
    assertThat(read(Map.of("boot.ipxe-service-url", "ftp://x"), Map.of()).ipxeServiceUrl()).isEqualTo("ftp://x");
  }

  @Test
  void badValuesStopTheServiceNamingTheProperty() {
    assertThatThrownBy(() -> read(Map.of("boot.boot-server-address", "8082"), Map.of()))
        .hasMessageContaining("boot.boot-server-address");
    assertThatThrownBy(() -> read(Map.of("boot.boot-server-address", ":99999"), Map.of()))
        .hasMessageContaining("boot.boot-server-address");
    assertThatThrownBy(() -> read(Map.of("boot.ipxe-service-url", "http://x\nchain http://evil"), Map.of()))
        .hasMessageContaining("boot.ipxe-service-url").hasMessageContaining("control character");
    assertThatThrownBy(() -> read(Map.of("boot.leader-elect", "yes"), Map.of()))
        .hasMessageContaining("boot.leader-elect");
    assertThatThrownBy(() -> read(Map.of("boot.controllers", "ipxebootconfig,bogus"), Map.of()))
        .hasMessageContaining("boot.controllers").hasMessageContaining("bogus");
    assertThatThrownBy(() -> read(Map.of("boot.cluster", "cloud"), Map.of()))
        .hasMessageContaining("boot.cluster");
  }

  @Test
  void environmentVariableNamesFollowTheProperty() {
    assertThat(SettingsSource.environmentName("boot.ipxe-service-url")).isEqualTo("BOOT_IPXE_SERVICE_URL");
  }

  @Test
  void theEnvironmentOverridesTheFileAndExplicitOverridesWinOverAll() {
    SettingsSource source = new SettingsSource(Map.of("BOOT_ARCHITECTURE", "arm64", "BOOT_CLUSTER", "embedded"),
        Map.of("boot.cluster", "kubernetes"));

    assertThat(source.apply("boot.architecture")).isEqualTo("arm64");
    assertThat(source.apply("boot.cluster")).isEqualTo("kubernetes");
    assertThat(source.apply("boot.boot-server-address")).isEqualTo(":8082");
  }

  @Test
  void aPxeControllerWithoutServiceUrlRefusesToStartNamingTheProperty() {
    BootSettings settings = read(Map.of(), Map.of());

    assertThatThrownBy(settings::requireIpxeServiceUrlForPxe)
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("boot.ipxe-service-url")
        .hasMessageContaining("IPXE_SERVER_ADDRESS")
        .hasMessageContaining("serverbootconfigpxe");
  }

  @Test
  void withoutThePxeControllerOrWithAnAddressNoServiceUrlIsNeeded() {
    read(Map.of("boot.controllers", "ipxebootconfig,httpbootconfig,serverbootconfighttp"), Map.of())
        .requireIpxeServiceUrlForPxe();
    read(Map.of(), Map.of("IPXE_SERVER_ADDRESS", "10.0.0.5")).requireIpxeServiceUrlForPxe();
  }

  @Test
  void blobCacheAndIdleTimeoutHaveDefaultsAndReadUnits() {
    BootSettings defaults = read(Map.of(), Map.of());
    BootSettings set = read(Map.of("boot.blob-cache-dir", "/srv/blobs", "boot.blob-cache-max-bytes", "500M",
        "boot.blob-cache-enabled", "false", "boot.registry-idle-timeout", "1500ms"), Map.of());

    assertThat(defaults.blobCacheDir()).isEmpty();
    assertThat(defaults.blobCacheMaxBytes()).isEqualTo(20L * 1024 * 1024 * 1024);
    assertThat(defaults.blobCacheEnabled()).isTrue();
    assertThat(defaults.registryIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.imagePrefetch()).isTrue();
    assertThat(set.blobCacheDir()).contains(Path.of("/srv/blobs"));
    assertThat(set.blobCacheMaxBytes()).isEqualTo(500_000_000L);
    assertThat(set.blobCacheEnabled()).isFalse();
    assertThat(set.registryIdleTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(read(Map.of("boot.blob-cache-max-bytes", "2Ti"), Map.of()).blobCacheMaxBytes()).isEqualTo(2L << 40);
  }

  @Test
  void badSizesAndDurationsNameTheirProperty() {
    assertThatThrownBy(() -> read(Map.of("boot.blob-cache-max-bytes", "lots"), Map.of()))
        .hasMessageContaining("boot.blob-cache-max-bytes");
    assertThatThrownBy(() -> read(Map.of("boot.blob-cache-max-bytes", "999999999999999999Ti"), Map.of()))
        .hasMessageContaining("boot.blob-cache-max-bytes");
    assertThatThrownBy(() -> read(Map.of("boot.registry-idle-timeout", "0s"), Map.of()))
        .hasMessageContaining("boot.registry-idle-timeout");
    assertThatThrownBy(() -> read(Map.of("boot.registry-idle-timeout", "30"), Map.of()))
        .hasMessageContaining("boot.registry-idle-timeout");
  }

  @Test
  void leaderElectionUsesTheGoManagersLeaseAndClientGosTimingsInThePodsNamespace() {
    BootSettings inPod = read(Map.of("boot.leader-elect", "true"),
        Map.of("POD_NAMESPACE", "boot-system", "POD_NAME", "boot-operator-7d9c-x1"));
    BootSettings withoutPodEnv = read(Map.of(), Map.of("HOSTNAME", "host-1"));

    assertThat(inPod.leaderElectionId().leaseName()).isEqualTo("e9f0940b.ironcore.dev");
    assertThat(inPod.leaderElection()).isEqualTo(new LeaderElection(true, "boot-system", "boot-operator-7d9c-x1",
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));
    // no POD_NAMESPACE (the Go manifests set none): empty, i.e. the client's (service account's) namespace
    assertThat(withoutPodEnv.leaderElection().namespace()).isEmpty();
    assertThat(withoutPodEnv.leaderElection().podName()).isEqualTo("host-1");
    assertThat(read(Map.of("boot.leader-election-id", "boot-operator-leader"), Map.of()).leaderElectionId().leaseName())
        .isEqualTo("boot-operator-leader");
  }

  @Test
  void leaderElectionRefusesABadLeaseNameAndDurationsClientGoCannotHold() {
    assertThatThrownBy(() -> read(Map.of("boot.leader-election-id", "Not_A_Name"), Map.of()))
        .hasMessageContaining("boot.leader-election-id");
    assertThatThrownBy(() -> read(Map.of("boot.leader-election-lease-duration", "2500ms"), Map.of()))
        .hasMessageContaining("boot.leader-election-lease-duration").hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> read(Map.of("boot.leader-election-renew-deadline", "15s"), Map.of()))
        .hasMessageContaining("boot.leader-election-renew-deadline");
    assertThatThrownBy(() -> read(Map.of("boot.leader-elect", "true"), Map.of()))
        .hasMessageContaining("boot.leader-election-pod-name");
  }

  @Test
  void secretWatchDefaultsToAllNamespacesAndABound() {
    BootSettings settings = read(Map.of(), Map.of());

    assertThat(settings.secretWatch()).isEqualTo(SecretWatchSettings.DEFAULT);
    assertThat(settings.secretWatch().allNamespaces()).isTrue();
    assertThat(settings.secretWatch().maxWatchedSecrets()).isEqualTo(2000);
  }

  @Test
  void watchNamespacesAreAListAndTheBoundANumber() {
    BootSettings settings = read(Map.of("boot.watch-namespaces", " rack-1, rack-2 ,rack-1",
        "boot.max-watched-secrets", "50"), Map.of());

    assertThat(settings.secretWatch().watchNamespaces()).containsExactly("rack-1", "rack-2");
    assertThat(settings.secretWatch().allNamespaces()).isFalse();
    assertThat(settings.secretWatch().maxWatchedSecrets()).isEqualTo(50);
  }

  @Test
  void badNamespacesOrBoundsNameTheirProperty() {
    assertThatThrownBy(() -> read(Map.of("boot.watch-namespaces", "Rack_1"), Map.of()))
        .hasMessageContaining("boot.watch-namespaces").hasMessageContaining("Rack_1");
    for (String bound : new String[] {"0", "-1", "many", "100001"}) {
      assertThatThrownBy(() -> read(Map.of("boot.max-watched-secrets", bound), Map.of())).as(bound)
          .hasMessageContaining("boot.max-watched-secrets");
    }
  }

  @Test
    void clientBindingAuditsByDefaultAndTrustsNoProxy() {
    ClientBindingSettings binding = read(Map.of(), Map.of()).clientBinding();

    assertThat(binding.mode()).isEqualTo(ClientBindingSettings.Mode.AUDIT);
    assertThat(binding.trustedProxies().isEmpty()).isTrue();
    assertThat(binding.logCapacity()).isEqualTo(10_000);
  }

  @Test
  void clientBindingReadsModesAndTrustedRanges() {
    ClientBindingSettings binding = read(Map.of("boot.client-binding", "strict",
        "boot.trusted-proxies", " 10.0.0.0/8, fd00::/8 ,192.0.2.1", "boot.client-binding-log-capacity", "50"),
        Map.of()).clientBinding();

    assertThat(binding.mode()).isEqualTo(ClientBindingSettings.Mode.STRICT);
    assertThat(binding.trustedProxies().toString()).isEqualTo("[10.0.0.0/8, fd00::/8, 192.0.2.1/32]");
    assertThat(binding.logCapacity()).isEqualTo(50);
  }

  @Test
  void clientBindingRefusesUnknownModesRangesAndCapacitiesNamingTheProperty() {
    assertThatThrownBy(() -> read(Map.of("boot.client-binding", "on"), Map.of()))
        .hasMessageContaining("boot.client-binding").hasMessageContaining("expected one of");
    assertThatThrownBy(() -> read(Map.of("boot.trusted-proxies", "10.0.0.0/8,lb.example"), Map.of()))
        .hasMessageContaining("boot.trusted-proxies").hasMessageContaining("lb.example");
    assertThatThrownBy(() -> read(Map.of("boot.trusted-proxies", "10.0.0.0/40"), Map.of()))
        .hasMessageContaining("boot.trusted-proxies").hasMessageContaining("0-32");
    assertThatThrownBy(() -> read(Map.of("boot.client-binding-log-capacity", "0"), Map.of()))
        .hasMessageContaining("boot.client-binding-log-capacity");
  }

  @Test
  void butaneBoundsHaveDefaultsAndReadUnits() {
    ButaneSettings set = read(Map.of("boot.butane-max-bytes", "256Ki", "boot.butane-timeout", "750ms",
        "boot.butane-threads", "4", "boot.butane-queue", "8", "boot.butane-cache-entries", "100"), Map.of()).butane();

    assertThat(read(Map.of(), Map.of()).butane()).isEqualTo(ButaneSettings.DEFAULT);
    assertThat(set).isEqualTo(new ButaneSettings(256 * 1024, Duration.ofMillis(750), 4, 8, 100));
  }

  @Test
  void badButaneBoundsNameTheirProperty() {
    for (String[] bad : new String[][] {{"boot.butane-max-bytes", "0"}, {"boot.butane-max-bytes", "3Gi"},
        {"boot.butane-timeout", "5"}, {"boot.butane-threads", "0"}, {"boot.butane-queue", "-1"},
        {"boot.butane-cache-entries", "many"}}) {
      assertThatThrownBy(() -> read(Map.of(bad[0], bad[1]), Map.of())).as(bad[0] + "=" + bad[1])
          .isInstanceOf(InvalidSettingException.class).hasMessageContaining(bad[0]);
    }
  }

  @Test
  void blobAndProbeThreadsAndEventLoopsHaveDefaultsAndBadCountsNameTheirProperty() {
    assertThat(read(Map.of(), Map.of()).workerThreads()).isEqualTo(WorkerThreadSettings.DEFAULT);
    assertThat(read(Map.of("boot.blob-cache-threads", "8", "boot.health-probe-threads", "1", "boot.event-loops", "3"),
        Map.of()).workerThreads()).isEqualTo(new WorkerThreadSettings(8, 1, 3));
    for (String[] bad : new String[][] {{"boot.blob-cache-threads", "0"}, {"boot.blob-cache-threads", "many"},
        {"boot.health-probe-threads", "-1"}, {"boot.health-probe-threads", "10000000"}, {"boot.event-loops", "0"}}) {
      assertThatThrownBy(() -> read(Map.of(bad[0], bad[1]), Map.of())).as(bad[0] + "=" + bad[1])
          .isInstanceOf(InvalidSettingException.class).hasMessageContaining(bad[0]);
    }
  }

  @Test
    void httpDefenseHasDefaultsAndReadsUnits() {
    HttpDefenseSettings set = read(Map.of("boot.http-header-timeout", "3s", "boot.http-idle-timeout", "2m",
        "boot.http-max-request-line", "4Ki", "boot.http-max-header-size", "32Ki", "boot.max-connections-per-port", "100",
        "boot.max-connections-per-client", "7", "boot.connection-refusal-log-capacity", "50"), Map.of()).httpDefense();

    assertThat(read(Map.of(), Map.of()).httpDefense()).isEqualTo(HttpDefenseSettings.DEFAULT);
    assertThat(set).isEqualTo(new HttpDefenseSettings(Duration.ofSeconds(3), Duration.ofMinutes(2), 4096, 32768, 100, 7, 50));
  }

  @Test
  void tagTtlAndStaleTagMaxAgeDefaultToAMinuteAndADayAndReachTheRegistrySettings() {
    assertThat(read(Map.of(), Map.of()).registrySettings().tagTtl()).isEqualTo(Duration.ofMinutes(1));
    assertThat(read(Map.of(), Map.of()).registrySettings().staleTagMaxAge()).isEqualTo(Duration.ofDays(1));
    RegistrySettings set = read(Map.of("boot.registry-tag-ttl", "10s", "boot.registry-stale-tag-max-age", "2h"),
        Map.of()).registrySettings();
    assertThat(set.tagTtl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(set.staleTagMaxAge()).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> read(Map.of("boot.registry-stale-tag-max-age", "0s"), Map.of()))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("boot.registry-stale-tag-max-age");
  }

  @Test
  void shutdownHasDefaultsAndRefusesATimeoutNoLongerThanTheDelay() {
    assertThat(read(Map.of(), Map.of()).shutdown()).isEqualTo(ShutdownSettings.DEFAULT);
    assertThat(read(Map.of("boot.shutdown-delay", "2s", "boot.shutdown-timeout", "2m"), Map.of()).shutdown())
        .isEqualTo(new ShutdownSettings(Duration.ofSeconds(2), Duration.ofMinutes(2)));
    assertThatThrownBy(() -> read(Map.of("boot.shutdown-delay", "30s"), Map.of()))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("boot.shutdown-timeout")
        .hasMessageContaining("expected longer than boot.shutdown-delay (30000ms)");
    assertThatThrownBy(() -> read(Map.of("boot.shutdown-delay", "0s"), Map.of()))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("boot.shutdown-delay");
  }

  @Test
  void badHttpDefenseSettingsNameTheirProperty() {
    for (String[] bad : new String[][] {{"boot.http-header-timeout", "0s"}, {"boot.http-idle-timeout", "60"},
        {"boot.http-max-request-line", "100"}, {"boot.http-max-header-size", "2Mi"},
        {"boot.max-connections-per-port", "0"}, {"boot.max-connections-per-client", "-1"},
        {"boot.connection-refusal-log-capacity", "lots"}}) {
      assertThatThrownBy(() -> read(Map.of(bad[0], bad[1]), Map.of())).as(bad[0] + "=" + bad[1])
          .isInstanceOf(InvalidSettingException.class).hasMessageContaining(bad[0]);
    }
  }

  @Test
  void imageProxyScopeDefaultsToAuditAndRefusesUnknownScopesNamingTheProperty() {
    assertThat(read(Map.of(), Map.of()).imageProxyScope()).isEqualTo(ImageProxyScopeSettings.DEFAULT);
    assertThat(ImageProxyScopeSettings.DEFAULT.scope()).isEqualTo(ImageProxyScopeSettings.Scope.AUDIT);
    assertThat(read(Map.of("boot.image-proxy-scope", "allowed-registries", "boot.image-proxy-audit-log-capacity", "7"),
        Map.of()).imageProxyScope())
        .isEqualTo(new ImageProxyScopeSettings(ImageProxyScopeSettings.Scope.ALLOWED_REGISTRIES, 7));
    assertThat(read(Map.of("boot.image-proxy-scope", "referenced"), Map.of()).imageProxyScope().scope())
        .isEqualTo(ImageProxyScopeSettings.Scope.REFERENCED);
    assertThatThrownBy(() -> read(Map.of("boot.image-proxy-scope", "allowed_registries"), Map.of()))
        .hasMessageContaining("boot.image-proxy-scope").hasMessageContaining("expected one of");
    assertThatThrownBy(() -> read(Map.of("boot.image-proxy-audit-log-capacity", "0"), Map.of()))
        .hasMessageContaining("boot.image-proxy-audit-log-capacity");
  }

  @Test
  void downloadLimitsHaveDefaultsAndAreRead() {
    DownloadLimitSettings set = read(Map.of("boot.max-upstream-downloads", "4", "boot.max-queued-downloads", "8",
        "boot.max-downloads-per-client", "3", "boot.blob-unsent-bytes", "64Ki"), Map.of()).downloadLimits();

    assertThat(read(Map.of(), Map.of()).downloadLimits()).isEqualTo(new DownloadLimitSettings(16, 1024, 8, 1_048_576));
    assertThat(set).isEqualTo(new DownloadLimitSettings(4, 8, 3, 65_536));
    assertThat(read(Map.of("boot.blob-unsent-bytes", "0"), Map.of()).downloadLimits().unsentBytesPerAnswer())
        .isZero();
  }

  @Test
  void badDownloadLimitsNameTheirProperty() {
    for (String[] bad : new String[][] {{"boot.max-upstream-downloads", "0"}, {"boot.max-queued-downloads", "-1"},
        {"boot.max-downloads-per-client", "many"}, {"boot.blob-unsent-bytes", "2Gi"},
        {"boot.blob-unsent-bytes", "-1"}}) {
      assertThatThrownBy(() -> read(Map.of(bad[0], bad[1]), Map.of())).as(bad[0] + "=" + bad[1])
          .isInstanceOf(InvalidSettingException.class).hasMessageContaining(bad[0]);
    }
  }
}
