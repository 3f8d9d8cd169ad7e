package dev.ironcore.boot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {
  @TempDir Path dir;

  private static TlsSettings read(Map<String, String> properties) {
    return BootSettings.from(properties::get, key -> null).tls();
  }

  private Map<String, String> bothFiles() throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("boot.tls-cert-file", Files.writeString(dir.resolve("tls.crt"), "x").toString());
    properties.put("boot.tls-key-file", Files.writeString(dir.resolve("tls.key"), "x").toString());
    return properties;
  }

  @Test
  void offByDefaultWithPlainHttpOnAnd8443Reserved() {
    TlsSettings tls = read(Map.of());

    assertThat(tls.enabled()).isFalse();
    assertThat(tls.plainHttp()).isTrue();
    assertThat(tls.address()).isEqualTo(new ListenAddress("0.0.0.0", 8443));
    assertThat(tls.reloadPeriod()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void bothFilesSwitchItOn() throws Exception {
    Map<String, String> properties = bothFiles();
    properties.put("boot.boot-server-tls-address", "127.0.0.1:9443");
    properties.put("boot.tls-reload-period", "500ms");

    TlsSettings tls = read(properties);

    assertThat(tls.enabled()).isTrue();
    assertThat(tls.certFile()).hasValue(dir.resolve("tls.crt"));
    assertThat(tls.address()).isEqualTo(new ListenAddress("127.0.0.1", 9443));
    assertThat(tls.reloadPeriod()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void oneFileAloneRefusesStartNamingTheMissingProperty() throws Exception {
    Map<String, String> certOnly = bothFiles();
    certOnly.remove("boot.tls-key-file");
    Map<String, String> keyOnly = bothFiles();
    keyOnly.remove("boot.tls-cert-file");

    assertThatThrownBy(() -> read(certOnly)).isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("boot.tls-key-file").hasMessageContaining("both files or neither");
    assertThatThrownBy(() -> read(keyOnly)).isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("boot.tls-cert-file");
  }

  @Test
  void anUnreadableFileRefusesStartNamingItsProperty() throws Exception {
    Map<String, String> properties = bothFiles();
    properties.put("boot.tls-key-file", dir.resolve("missing.key").toString());

    assertThatThrownBy(() -> read(properties)).hasMessageContaining("boot.tls-key-file")
        .hasMessageContaining("missing.key").hasMessageContaining("not readable");
  }

  @Test
  void plainHttpOffNeedsTheFiles() {
    assertThatThrownBy(() -> read(Map.of("boot.plain-http", "false"))).hasMessageContaining("boot.plain-http")
        .hasMessageContaining("boot.tls-cert-file");
  }

  @Test
  void theHttpsPortMayNotBeAServedPlainPort() throws Exception {
    Map<String, String> properties = bothFiles();
    properties.put("boot.boot-server-tls-address", ":8082");
    TlsSettings clash = read(properties);
    properties.put("boot.plain-http", "false");
    TlsSettings plainOff = read(properties);

    assertThatThrownBy(() -> clash.requireOwnPort(new ListenAddress("0.0.0.0", 8082)))
        .hasMessageContaining("boot.boot-server-tls-address");
    plainOff.requireOwnPort(new ListenAddress("0.0.0.0", 8082));
  }

  @Test
  void theHttpsPortMayNotBeTheMetricsOrProbePortEvenWithoutPlainHttp() throws Exception {
    Map<String, String> properties = bothFiles();
    properties.put("boot.boot-server-tls-address", ":8443");
    properties.put("boot.plain-http", "false");
    TlsSettings tls = read(properties);

    assertThatThrownBy(() -> tls.requireApartFrom("boot.metrics-bind-address", new ListenAddress("0.0.0.0", 8443)))
        .hasMessageContaining("boot.boot-server-tls-address").hasMessageContaining("boot.metrics-bind-address");
    tls.requireApartFrom("boot.metrics-bind-address", new ListenAddress("0.0.0.0", 8080));
  }
}
