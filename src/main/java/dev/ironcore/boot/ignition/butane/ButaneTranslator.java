package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Translates Butane (fcos 1.0.0 to 1.7.0) to Ignition JSON, with the rules of butane v0.28.0 as the
 * Go boot-operator calls it. Thread-safe: every translation has its own state.
 */
public final class ButaneTranslator {

  /** Far above any real node config; bounds the work done on hostile input. */
  static final int MAX_INPUT_BYTES = 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final YamlReader yamlReader = new YamlReader();
  private final long maxInputBytes;

  public ButaneTranslator() {
    this(MAX_INPUT_BYTES);
  }

  /**
   * A translator for inputs of at most {@code maxInputBytes}. A translation stops with a
   * {@link ButaneException} soon after its thread is interrupted (it checks while decoding).
   */
  public ButaneTranslator(long maxInputBytes) {
    this.maxInputBytes = maxInputBytes;
  }

  public Translation translate(byte[] butaneYaml) {
    requireWithin(maxInputBytes, butaneYaml);
    Optional<YamlNode> root = yamlReader.read(butaneYaml);
    FcosVersion version = VariantVersion.select(root);
    Report report = new Report();
    SourceMap sourceMap = new SourceMap();
    ObjectNode source = root.map(node -> new SchemaDecoder(version, report, sourceMap).decodeRoot(node))
        .orElseGet(Json::object);
    new SourceValidator(version, sourceMap, report).validate(source);
    BootLayout layout = source.has("bootDevice")
        ? new BootDeviceRules(version, sourceMap, report).layout((ObjectNode) source.get("bootDevice"))
        : BootLayout.X86_64;
    InlineConfigCheck inlineConfigs = new InlineConfigCheck(version, sourceMap, report);
    ObjectNode ignition = new FcosTranslator(version, inlineConfigs).translate(source, layout);
    new IgnitionValidator(version, sourceMap, report).validate(ignition);
    return new Translation(serialize(ignition), report.warnings());
  }

  /** Refuses an input over the bound before any work is spent on it. */
  public static void requireWithin(long maxInputBytes, byte[] butaneYaml) {
    if (butaneYaml.length > maxInputBytes) {
      throw new ButaneException("config is too large: " + butaneYaml.length + " bytes, the limit is "
          + maxInputBytes);
    }
  }

  private static String serialize(ObjectNode ignition) {
    try {
      return JSON.writeValueAsString(ignition);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
