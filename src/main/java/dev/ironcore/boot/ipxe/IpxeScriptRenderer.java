package dev.ironcore.boot.ipxe;

import freemarker.cache.ClassTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the iPXE templates (loaded once) and keeps each config's latest script by uid, with the
 * resourceVersion and service URL it was rendered for: a rack asking again costs a map lookup by a
 * string whose hash is already known (no key built per request), and a changed config renders anew.
 */
public class IpxeScriptRenderer {
  /** More configs than a cluster holds; past it the cache starts over rather than grow. */
  static final int MAX_CACHED = 50_000;

  private final Template script;
  private final Template chainload;
  private final Map<String, Rendered> scripts = new ConcurrentHashMap<>();
  private final Map<String, byte[]> chainloads = new ConcurrentHashMap<>();

  private record Rendered(String resourceVersion, String serviceUrl, byte[] bytes) {}

  public IpxeScriptRenderer(Configuration templates) {
    try {
      script = templates.getTemplate("templates/ipxe-script.ftl");
      chainload = templates.getTemplate("templates/ipxe-chainload.ftl");
    } catch (IOException e) {
      throw new UncheckedIOException("iPXE templates missing from the class path", e);
    }
  }

  public IpxeScriptRenderer() {
    this(templates());
  }

  /**
   * iPXE scripts are full of {@code ${var}} that iPXE itself expands, so our values use FreeMarker's
   * square-bracket syntax {@code [=value]} and {@code ${...}} stays literal text.
   */
  static Configuration templates() {
    Configuration configuration = new Configuration(Configuration.VERSION_2_3_34);
    configuration.setInterpolationSyntax(Configuration.SQUARE_BRACKET_INTERPOLATION_SYNTAX);
    configuration.setTemplateLoader(new ClassTemplateLoader(IpxeScriptRenderer.class.getClassLoader(), ""));
    configuration.setDefaultEncoding("UTF-8");
    configuration.setLogTemplateExceptions(false);
    return configuration;
  }

  /** The chainload script for this service URL. */
  public byte[] chainload(IpxeChainload model) {
    return chainloads.computeIfAbsent(model.serviceUrl(), url -> render(chainload, "chainload", model));
  }

  /** The cached script of {@code config}, or null when this version of it was not rendered yet. */
  public byte[] cached(HasMetadata config, String serviceUrl) {
    Rendered kept = scripts.get(uid(config));
    return kept != null && kept.resourceVersion().equals(String.valueOf(config.getMetadata().getResourceVersion()))
        && kept.serviceUrl().equals(serviceUrl) ? kept.bytes() : null;
  }

  /** Renders {@code model} for {@code config} and keeps it for the next request. */
  public byte[] script(HasMetadata config, IpxeScript model) {
    if (scripts.size() >= MAX_CACHED) {
      scripts.clear();
    }
    byte[] bytes = render(script, "script", model);
    scripts.put(uid(config), new Rendered(String.valueOf(config.getMetadata().getResourceVersion()),
        model.serviceUrl(), bytes));
    return bytes;
  }

  private static String uid(HasMetadata config) {
    return String.valueOf(config.getMetadata().getUid());
  }

  private static byte[] render(Template template, String name, Object model) {
    StringWriter out = new StringWriter(1024);
    try {
      template.process(Map.of(name, model), out);
    } catch (TemplateException | IOException e) {
      throw new IllegalStateException("template " + template.getName() + " failed", e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
