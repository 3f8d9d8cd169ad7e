package dev.ironcore.boot.ignition.butane;

import java.util.List;

/** The composed YAML document: aliases are already resolved to the node they name. */
sealed interface YamlNode {

  Position position();

  /** {@code plain} is false for quoted and block scalars, which Go yaml.v3 always reads as strings. */
  record Scalar(String value, boolean plain, String tag, Position position) implements YamlNode {}

  record Sequence(List<YamlNode> items, Position position) implements YamlNode {}

  record Mapping(List<Entry> entries, Position position) implements YamlNode {}

  record Entry(Scalar key, YamlNode value) {}

  static String kindName(YamlNode node) {
    if (node instanceof Mapping) {
      return "!!map";
    }
    if (node instanceof Scalar scalar) {
      return GoYamlScalars.shortTag(GoYamlScalars.resolve(scalar));
    }
    return "!!seq";
  }
}
