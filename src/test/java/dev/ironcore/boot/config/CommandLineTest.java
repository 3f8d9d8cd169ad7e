package dev.ironcore.boot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {
  @Test
  void takesEveryGoFlagInBothFormsAndWithOneOrTwoDashes() {
    CommandLine.Parsed parsed = CommandLine.parse(new String[] {
        "--architecture=arm64", "--ipxe-service-port", "6000", "-ipxe-service-protocol=https",
        "--ipxe-service-url=http://boot.example:8082", "--image-server-url", "http://boot.example:8083/httpboot",
        "--default-httpboot-oci-image=ghcr.io/a/uki:1", "--default-httpboot-uki-url=http://x/y.efi",
        "--metrics-bind-address=:8443", "--health-probe-bind-address", ":9081", "--boot-server-address=:9082",
        "--image-proxy-server-address=:9083", "--leader-elect", "--metrics-cert-path=/certs",
        "--metrics-cert-name=crt.pem", "--metrics-cert-key", "key.pem", "--metrics-secure=false",
        "-enable-http2", "--allowed-registries=ghcr.io,registry.example:5000", "--controllers=ipxebootconfig"});

    assertThat(parsed.help()).isFalse();
    assertThat(parsed.overrides()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("boot.architecture", "arm64"), Map.entry("boot.ipxe-service-port", "6000"),
        Map.entry("boot.ipxe-service-protocol", "https"), Map.entry("boot.ipxe-service-url", "http://boot.example:8082"),
        Map.entry("boot.image-server-url", "http://boot.example:8083/httpboot"),
        Map.entry("boot.default-httpboot-oci-image", "ghcr.io/a/uki:1"),
        Map.entry("boot.default-httpboot-uki-url", "http://x/y.efi"), Map.entry("boot.metrics-bind-address", ":8443"),
        Map.entry("boot.health-probe-bind-address", ":9081"), Map.entry("boot.boot-server-address", ":9082"),
        Map.entry("boot.image-proxy-server-address", ":9083"), Map.entry("boot.leader-elect", "true"),
        Map.entry("boot.metrics-cert-path", "/certs"), Map.entry("boot.metrics-cert-name", "crt.pem"),
        Map.entry("boot.metrics-cert-key", "key.pem"), Map.entry("boot.metrics-secure", "false"),
        Map.entry("boot.enable-http2", "true"), Map.entry("boot.allowed-registries", "ghcr.io,registry.example:5000"),
        Map.entry("boot.controllers", "ipxebootconfig")));
  }

  @Test
  void ourOwnSettingsAreReachableByTheirPropertyNames() {
    CommandLine.Parsed parsed = CommandLine.parse(new String[] {"--boot.blob-cache-max-bytes=50Gi", "--boot.cluster", "embedded"});

    assertThat(parsed.overrides()).containsExactlyInAnyOrderEntriesOf(
        Map.of("boot.blob-cache-max-bytes", "50Gi", "boot.cluster", "embedded"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "*; ipxebootconfig,serverbootconfigpxe,serverbootconfighttp,httpbootconfig",
      "*,-serverbootconfigpxe; ipxebootconfig,serverbootconfighttp,httpbootconfig",
      "httpbootconfig,serverbootconfighttp; httpbootconfig,serverbootconfighttp",
      "-ipxebootconfig; none",
      "''; none"})
  void controllersFollowGoSwitchSemantics(String value, String expected) {
    String result = CommandLine.controllers(value);
    assertThat(result.equals("none") ? java.util.Set.of("none") : java.util.Set.of(result.split(",")))
        .containsExactlyInAnyOrder(expected.split(","));
  }

  @Test
  void anEmptyControllerListEnablesNone() {
    BootSettings settings = BootSettings.from(
        new SettingsSource(Map.of(), CommandLine.parse(new String[] {"--controllers="}).overrides()), key -> null);

    assertThat(settings.controllers()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "--unknown-flag; flag provided but not defined: -unknown-flag",
      "--ipxe-service-url; flag needs an argument: -ipxe-service-url",
      "--leader-elect=maybe; invalid boolean value \"maybe\" for -leader-elect",
      "--controllers=ipxe; unknown item: ipxe",
      "--zap-encoder=xml; invalid value \"xml\" for flag -zap-encoder",
      "--zap-log-level=loud; invalid value \"loud\" for flag -zap-log-level",
      "--zap-time-encoding=unix; invalid value \"unix\" for flag -zap-time-encoding",
      "stray; unexpected argument stray"})
  void refusesWhatGoWouldRefuseNamingTheArgument(String arg, String message) {
    assertThatThrownBy(() -> CommandLine.parse(new String[] {arg}))
        .isInstanceOf(CommandLine.UsageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aBooleanFollowedByAWordDoesNotTakeItAsItsValue() {
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"--leader-elect", "true"}))
        .isInstanceOf(CommandLine.UsageException.class)
        .hasMessageContaining("unexpected argument true");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "-help"})
  void helpListsEveryFlag(String help) {
    assertThat(CommandLine.parse(new String[] {"--leader-elect", help}).help()).isTrue();
    String usage = CommandLine.usage();
    for (String flag : new String[] {"architecture", "ipxe-service-port", "ipxe-service-protocol", "ipxe-service-url",
        "image-server-url", "default-httpboot-oci-image", "default-httpboot-uki-url", "metrics-bind-address",
        "health-probe-bind-address", "boot-server-address", "image-proxy-server-address", "leader-elect",
        "metrics-cert-path", "metrics-cert-name", "metrics-cert-key", "metrics-secure", "enable-http2",
        "allowed-registries", "controllers", "zap-devel", "zap-encoder", "zap-log-level", "zap-stacktrace-level",
        "zap-time-encoding"}) {
      assertThat(usage).contains("--" + flag + " ");
    }
    assertThat(usage).contains("--boot.<name>=value");
  }

  @Test
  void zapFlagsBecomeLoggingOptions() {
    CommandLine.Parsed parsed = CommandLine.parse(new String[] {"--zap-devel=false", "--zap-encoder=json",
        "--zap-log-level=2", "--zap-stacktrace-level=info", "--zap-time-encoding=rfc3339nano"});

    assertThat(parsed.overrides()).isEmpty();
    assertThat(parsed.logging().devel()).contains(false);
    assertThat(parsed.logging().encoder()).contains("json");
    assertThat(parsed.logging().level()).isEqualTo(Optional.of(Level.TRACE));
    assertThat(parsed.logging().stacktraceLevel()).isEqualTo(Optional.of(Level.INFO));
    assertThat(parsed.logging().timeEncoding()).contains("rfc3339nano");
  }

  @Test
  void anArgumentWinsOverTheEnvironmentWhichWinsOverTheFile() {
    Map<String, String> env = Map.of("BOOT_ARCHITECTURE", "arm64", "BOOT_IMAGE_SERVER_URL", "http://env.example/httpboot");
    Map<String, String> arguments = CommandLine.parse(new String[] {"--image-server-url=http://arg.example/httpboot"}).overrides();

    BootSettings settings = BootSettings.from(new SettingsSource(env, arguments), key -> null);

    assertThat(settings.imageServerUrl()).isEqualTo("http://arg.example/httpboot");
    assertThat(settings.architecture()).isEqualTo("arm64");
    assertThat(settings.bootServerAddress().port()).isEqualTo(8082);
  }

  @Test
  void metricsBindAddressZeroLeavesMetricsOnTheProbePort() {
    BootSettings settings = BootSettings.from(new SettingsSource(Map.of(),
        CommandLine.parse(new String[] {"--metrics-bind-address=0", "--health-probe-bind-address=:9081"}).overrides()),
        key -> null);

    assertThat(settings.metricsAddress()).isEqualTo(settings.healthProbeAddress());
    assertThat(settings.metricsAddress().port()).isEqualTo(9081);
  }
}
