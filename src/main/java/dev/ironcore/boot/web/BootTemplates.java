package dev.ironcore.boot.web;

import freemarker.cache.ClassTemplateLoader;
import freemarker.template.Configuration;

/**
 * The FreeMarker configuration of the iPXE templates. iPXE scripts are full of {@code ${var}}
 * that iPXE itself expands, so our own values use the square-bracket syntax {@code [=value]} and
 * {@code ${...}} stays literal text.
 */
public final class BootTemplates {
  private BootTemplates() {}

  public static Configuration configuration() {
    Configuration configuration = new Configuration(Configuration.VERSION_2_3_34);
    configuration.setInterpolationSyntax(Configuration.SQUARE_BRACKET_INTERPOLATION_SYNTAX);
    configuration.setTemplateLoader(new ClassTemplateLoader(BootTemplates.class.getClassLoader(), ""));
    configuration.setDefaultEncoding("UTF-8");
    configuration.setLogTemplateExceptions(false);
    return configuration;
  }
}
