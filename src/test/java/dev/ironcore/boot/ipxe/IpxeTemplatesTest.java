package dev.ironcore.boot.ipxe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.web.ServiceUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The templates render byte for byte what COMPAT §2 (and the Go templates) produce, once per config version. */
class IpxeTemplatesTest {
  private final IpxeScriptRenderer renderer = new IpxeScriptRenderer();

  @Test
  void scriptWithSquashfsEqualsTheGoldenFile() throws Exception {
    byte[] rendered = renderer.script(config("1"), new IpxeScript("http://svc:8082", "http://k", "http://i", "http://s"));

    assertThat(text(rendered)).isEqualTo(golden("with-squashfs.ipxe", "http://svc:8082", "http://k", "http://i", "http://s"));
  }

  @Test
  void scriptWithoutSquashfsKeepsGoBlankLineAndDropsTheLiveTokens() throws Exception {
    String rendered = text(renderer.script(config("1"), new IpxeScript("http://svc:8082", "http://k", "http://i", "")));

    assertThat(rendered).isEqualTo(golden("without-squashfs.ipxe", "http://svc:8082", "http://k", "http://i", ""));
    assertThat(rendered).doesNotContain("squashfs").doesNotContain("gl.live");
  }

  @Test
  void chainloadHasNoTrailingNewline() throws Exception {
    String rendered = text(renderer.chainload(new IpxeChainload("http://svc:8082")));

    assertThat(rendered).isEqualTo(golden("chainload.ipxe", "http://svc:8082", "", "", "")).endsWith("${uuid}");
  }

  @Test
  void aScriptIsKeptPerConfigVersionAndServiceUrl() {
    // Given a rendered config
    IPXEBootConfig version1 = config("1");
    byte[] first = renderer.script(version1, new IpxeScript("http://svc", "http://k1", "http://i", ""));

    // Then the same version is served from the cache, a new version or another URL is not
    assertThat(renderer.cached(config("1"), "http://svc")).isSameAs(first);
    assertThat(renderer.cached(config("2"), "http://svc")).isNull();
    assertThat(renderer.cached(version1, "http://other")).isNull();
  }

  @Test
  void answers503WhenNoServiceUrlIsConfigured() {
    BootSettings settings = BootSettings.from(key -> null, key -> null);
    IpxeScripts scripts = new IpxeScripts(settings, null, renderer, null);

    assertThatThrownBy(scripts::chainload).isInstanceOf(ServiceUnavailableException.class)
        .hasMessage("iPXE is disabled");
  }

  private static IPXEBootConfig config(String resourceVersion) {
    IPXEBootConfig config = Fixtures.ipxeConfig("machine", "uuid-1", "http://k", "http://i", null);
    config.getMetadata().setUid("uid-1");
    config.getMetadata().setResourceVersion(resourceVersion);
    return config;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String golden(String name, String service, String kernel, String initrd, String squashfs)
      throws Exception {
    return Files.readString(Path.of("src/test/resources/golden", name), StandardCharsets.UTF_8)
        .replace("SERVICE_URL", service).replace("KERNEL", kernel).replace("INITRD", initrd)
        .replace("SQUASHFS", squashfs);
  }
}
