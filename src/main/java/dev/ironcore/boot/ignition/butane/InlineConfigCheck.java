package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An inline {@code ignition.config.merge/replace} must be Ignition JSON. One for the same spec version
 * as the output is validated like the output; any other version only gets a warning.
 */
final class InlineConfigCheck {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final FcosVersion version;
  private final SourceMap sourceMap;
  private final Report report;

  InlineConfigCheck(FcosVersion version, SourceMap sourceMap, Report report) {
    this.version = version;
    this.sourceMap = sourceMap;
    this.report = report;
  }

  void check(String inline, Resources.Site site) {
    JsonNode config;
    try {
      config = MAPPER.readTree(inline);
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the token it stopped at
      throw sourceMap.error(site.resource(), "inline", "$.ignition.config",
          "inline config is not valid JSON: " + e.getOriginalMessage(), "inline config is not valid JSON");
    }
    String inlineVersion = config == null ? null : Json.text(config.get("ignition"), "version");
    if (!version.ignition().equals(inlineVersion)) {
      report.warn(sourceMap.locate(site.resource(), "inline"), "$.ignition.config",
          "skipping validation of inline config: unknown version " + inlineVersion);
      return;
    }
    try {
      new IgnitionValidator(version, new SourceMap(), report).validate(config);
    } catch (ButaneException e) {
      throw sourceMap.error(site.resource(), "inline", "$.ignition.config", "invalid inline config: " + e.getMessage(),
          "invalid inline config: " + e.summary());
    }
  }
}
