package dev.ironcore.boot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void badValuesStopTheServiceNamingTheProperty() {
    assertThatThrownBy(() -> read(Map.of("boot.boot-server-address", "8082"), Map.of()))
        .hasMessageContaining("boot.boot-server-address");
    assertThatThrownBy(() -> read(Map.of("boot.boot-server-address", ":99999"), Map.of()))
        .hasMessageContaining("boot.boot-server-address");
    assertThatThrownBy(() -> read(Map.of("boot.ipxe-service-url", "ftp://x"), Map.of()))
        .hasMessageContaining("boot.ipxe-service-url");
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
}
