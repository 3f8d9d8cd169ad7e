package dev.ironcore.boot.ignition.butane;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Butane struct: its fields by YAML name. A field added in a later spec version is unknown (a
 * warning) in earlier ones.
 */
final class ObjectSchema implements FieldType {

  /**
   * {@code requiredUpTo} marks Go's non-pointer strings (up to that version), which are always output,
   * "" when unset; null for optional fields.
   */
  record Field(String yamlName, String jsonName, FieldType type, FcosVersion since, FcosVersion requiredUpTo) {

    boolean isRequiredIn(FcosVersion version) {
      return requiredUpTo != null && requiredUpTo.atLeast(version);
    }
  }

  private final String goType;
  private final Map<String, Field> fields = new LinkedHashMap<>();

  ObjectSchema(String goType) {
    this.goType = goType;
  }

  String goType() {
    return goType;
  }

  ObjectSchema field(String yamlName, FieldType type) {
    return field(yamlName, type, FcosVersion.V1_0);
  }

  ObjectSchema field(String yamlName, FieldType type, FcosVersion since) {
    return add(yamlName, type, since, null);
  }

  /** A non-pointer Go string: output even when unset. */
  ObjectSchema requiredString(String yamlName) {
    return requiredStringUpTo(yamlName, FcosVersion.V1_7);
  }

  /** A string that is a non-pointer Go string up to {@code lastVersion} and a pointer after it. */
  ObjectSchema requiredStringUpTo(String yamlName, FcosVersion lastVersion) {
    return add(yamlName, Scalar.STRING, FcosVersion.V1_0, lastVersion);
  }

  private ObjectSchema add(String yamlName, FieldType type, FcosVersion since, FcosVersion requiredUpTo) {
    fields.put(yamlName, new Field(yamlName, JsonNames.camelCase(yamlName), type, since, requiredUpTo));
    return this;
  }

  /** The field with that YAML name if it exists in {@code version}. */
  Field field(String yamlName, FcosVersion version) {
    Field field = fields.get(yamlName);
    return field != null && version.atLeast(field.since()) ? field : null;
  }

  Iterable<Field> fields() {
    return fields.values();
  }
}
