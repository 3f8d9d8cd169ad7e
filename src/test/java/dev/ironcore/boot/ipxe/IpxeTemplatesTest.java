package dev.ironcore.boot.ipxe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.web.BootTemplates;
import dev.ironcore.boot.web.ServiceUnavailableException;
import freemarker.template.Template;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The templates render byte for byte what COMPAT §2 (and the Go templates) produce. */
class IpxeTemplatesTest {
  @Test
  void scriptWithSquashfsEqualsTheGoldenFile() throws Exception {
    String rendered = render("ipxe-script.ftl", new IpxeScript("http://svc:8082", "http://k", "http://i", "http://s"));

    assertThat(rendered).isEqualTo(golden("with-squashfs.ipxe", "http://svc:8082", "http://k", "http://i", "http://s"));
  }

  @Test
  void scriptWithoutSquashfsKeepsGoBlankLineAndDropsTheLiveTokens() throws Exception {
    String rendered = render("ipxe-script.ftl", new IpxeScript("http://svc:8082", "http://k", "http://i", ""));

    assertThat(rendered).isEqualTo(golden("without-squashfs.ipxe", "http://svc:8082", "http://k", "http://i", ""));
    assertThat(rendered).doesNotContain("squashfs").doesNotContain("gl.live");
  }

  @Test
  void chainloadHasNoTrailingNewline() throws Exception {
    String rendered = render("ipxe-chainload.ftl", new IpxeChainload("http://svc:8082"));

    assertThat(rendered).isEqualTo(golden("chainload.ipxe", "http://svc:8082", "", "", "")).endsWith("${uuid}");
  }

  @Test
  void answers503WhenNoServiceUrlIsConfigured() {
    BootSettings settings = BootSettings.from(key -> null, key -> null);
    IpxeScripts scripts = new IpxeScripts(settings, null);

    assertThatThrownBy(scripts::chainload).isInstanceOf(ServiceUnavailableException.class)
        .hasMessage("iPXE is disabled");
  }

  private static String render(String template, Object body) throws Exception {
    Template loaded = BootTemplates.configuration().getTemplate("templates/" + template);
    StringWriter out = new StringWriter();
    loaded.process(Map.of("body", body), out);
    return out.toString();
  }

  private static String golden(String name, String service, String kernel, String initrd, String squashfs)
      throws Exception {
    return Files.readString(Path.of("src/test/resources/golden", name), StandardCharsets.UTF_8)
        .replace("SERVICE_URL", service).replace("KERNEL", kernel).replace("INITRD", initrd)
        .replace("SQUASHFS", squashfs);
  }
}
