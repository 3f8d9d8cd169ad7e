package dev.ironcore.boot.ignition.butane;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Step 1 of the pipeline: read {@code variant} and {@code version} and pick the translator. */
final class VariantVersion {

  /** Semantic version 2.0.0, as github.com/coreos/go-semver parses it. */
  private static final Pattern SEMVER = Pattern.compile(
      "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
  /** Versions butane v0.28.0 registers for the variants this server does not translate. */
  private static final Map<String, Set<String>> OTHER_TRANSLATORS = Map.of(
      "fcos", Set.of("1.8.0-experimental"),
      "flatcar", Set.of("1.0.0", "1.1.0", "1.2.0-experimental"),
      "openshift", Set.of("4.8.0", "4.9.0", "4.10.0", "4.11.0", "4.12.0", "4.13.0", "4.14.0", "4.15.0",
          "4.16.0", "4.17.0", "4.18.0", "4.19.0", "4.20.0", "4.21.0-experimental"),
      "r4e", Set.of("1.0.0", "1.1.0", "1.2.0-experimental"),
      "fiot", Set.of("1.0.0", "1.1.0-experimental"));

  private VariantVersion() {}

  /** The fcos version to translate with, or a ButaneException saying why there is none. */
  static FcosVersion select(Optional<YamlNode> root) {
    YamlNode.Mapping mapping = topLevelMapping(root);
    String variant = stringValue(mapping, "variant");
    String version = stringValue(mapping, "version");
    if (variant.isEmpty()) {
      throw new ButaneException("error parsing variant; must be specified");
    }
    if (!SEMVER.matcher(version).matches()) {
      throw new ButaneException("error parsing version; must be a valid semver");
    }
    if (variant.equals("rhcos")) {
      throw new ButaneException("the rhcos variant has been removed; use the openshift variant instead");
    }
    Optional<FcosVersion> fcos = variant.equals("fcos") ? FcosVersion.of(version) : Optional.empty();
    if (fcos.isPresent()) {
      return fcos.get();
    }
    if (OTHER_TRANSLATORS.getOrDefault(variant, Set.of()).contains(version)) {
      throw new ButaneException("variant " + variant + " with version " + version
          + " is not supported here; supported: fcos 1.0.0 to 1.7.0");
    }
    // variant and version are known names above; here they are whatever the input holds
    throw new ButaneException("No translator exists for variant " + ButaneException.quoted(variant) + " with version "
        + ButaneException.quoted(version), "No translator exists for the variant and version given; supported: fcos"
        + " 1.0.0 to 1.7.0");
  }

  private static YamlNode.Mapping topLevelMapping(Optional<YamlNode> root) {
    if (root.isEmpty() || isNullScalar(root.get())) {
      return new YamlNode.Mapping(java.util.List.of(), null);
    }
    if (root.get() instanceof YamlNode.Mapping mapping) {
      return mapping;
    }
    throw new ButaneException("Error unmarshaling yaml: " + root.get().position()
        + ": cannot unmarshal " + YamlNode.kindName(root.get()) + " into the top-level config (a mapping)");
  }

  private static String stringValue(YamlNode.Mapping mapping, String key) {
    for (YamlNode.Entry entry : mapping.entries()) {
      if (entry.key().value().equals(key)) {
        YamlNode value = entry.value();
        if (!(value instanceof YamlNode.Scalar scalar)) {
          throw new ButaneException("Error unmarshaling yaml: " + value.position() + ": cannot unmarshal "
              + YamlNode.kindName(value) + " into string (" + key + ")");
        }
        return isNullScalar(scalar) ? "" : scalar.value();
      }
    }
    return "";
  }

  private static boolean isNullScalar(YamlNode node) {
    return node instanceof YamlNode.Scalar scalar
        && GoYamlScalars.resolve(scalar).kind() == GoYamlScalars.Kind.NULL;
  }
}
