package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalLong;

/**
 * Decodes YAML into the fcos schema of one version, the way Go yaml.v3 fills Butane's structs: type
 * mismatches are fatal, unknown keys are warnings and dropped, null means "not set" (and a null list
 * item is dropped). The result uses Ignition's camelCase keys.
 */
final class SchemaDecoder {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final FcosVersion version;
  private final Report report;
  private final SourceMap sourceMap;
  private final ExpansionBudget budget = new ExpansionBudget();

  SchemaDecoder(FcosVersion version, Report report, SourceMap sourceMap) {
    this.version = version;
    this.report = report;
    this.sourceMap = sourceMap;
  }

  ObjectNode decodeRoot(YamlNode root) {
    JsonNode decoded = decode(root, FcosSchemas.ROOT, "$");
    return decoded == null ? JSON.objectNode() : (ObjectNode) decoded;
  }

  /** The decoded value, or null when the YAML value is null (the field stays unset). */
  private JsonNode decode(YamlNode node, FieldType type, String path) {
    budget.spend(node.position());
    if (node instanceof YamlNode.Scalar scalar && isNull(scalar)) {
      return null;
    }
    if (type instanceof ObjectSchema schema && node instanceof YamlNode.Mapping mapping) {
      return decodeObject(mapping, schema, path);
    }
    if (type instanceof FieldType.ListOf list && node instanceof YamlNode.Sequence sequence) {
      return decodeList(sequence, list.element(), path);
    }
    if (type instanceof FieldType.Scalar scalarType && node instanceof YamlNode.Scalar scalar) {
      return decodeScalar(scalar, scalarType, path);
    }
    String shown = node instanceof YamlNode.Scalar scalar ? scalar.value() : null;
    throw typeError(path, node.position(), YamlNode.kindName(node), shown, type);
  }

  private ObjectNode decodeObject(YamlNode.Mapping mapping, ObjectSchema schema, String path) {
    ObjectNode object = JSON.objectNode();
    sourceMap.recordContainer(object, new SourceMap.Location(path, mapping.position()));
    for (YamlNode.Entry entry : MergeKeys.effectiveEntries(mapping, report, path, budget)) {
      String key = entry.key().value();
      String fieldPath = path + "." + key;
      ObjectSchema.Field field = schema.field(key, version);
      if (field == null) {
        report.warn(fieldPath, entry.key().position(), "Unused key " + key);
        continue;
      }
      JsonNode value = decode(entry.value(), field.type(), fieldPath);
      if (value != null) {
        object.set(field.jsonName(), value);
        sourceMap.record(object, field.jsonName(), new SourceMap.Location(fieldPath, entry.value().position()));
      }
    }
    for (ObjectSchema.Field field : schema.fields()) {
      if (field.isRequiredIn(version) && !object.has(field.jsonName())) {
        object.put(field.jsonName(), "");
      }
    }
    return object;
  }

  private ArrayNode decodeList(YamlNode.Sequence sequence, FieldType element, String path) {
    ArrayNode array = JSON.arrayNode();
    sourceMap.recordContainer(array, new SourceMap.Location(path, sequence.position()));
    for (YamlNode item : sequence.items()) {
      String itemPath = path + "." + array.size();
      JsonNode value = decode(item, element, itemPath);
      if (value != null) {
        sourceMap.record(array, Integer.toString(array.size()), new SourceMap.Location(itemPath, item.position()));
        array.add(value);
      }
    }
    return array;
  }

  private JsonNode decodeScalar(YamlNode.Scalar scalar, FieldType.Scalar type, String path) {
    GoYamlScalars.Resolved resolved = GoYamlScalars.resolve(scalar);
    switch (type) {
      case STRING:
        return JSON.textNode(scalar.value());
      case BOOL:
        Boolean bool = GoYamlScalars.toBool(resolved);
        if (bool != null) {
          return JSON.booleanNode(bool);
        }
        break;
      default:
        OptionalLong integer = GoYamlScalars.toInt(resolved);
        if (integer.isPresent()) {
          return JSON.numberNode(integer.getAsLong());
        }
    }
    throw typeError(path, scalar.position(), GoYamlScalars.shortTag(resolved), scalar.value(), type);
  }

  private static boolean isNull(YamlNode.Scalar scalar) {
    return GoYamlScalars.resolve(scalar).kind() == GoYamlScalars.Kind.NULL;
  }

  /** Go's message quotes the value ({@code shown}, null for a collection); the summary leaves it out. */
  private static ButaneException typeError(String path, Position position, String tag, String shown, FieldType type) {
    String into = " into " + goTypeName(type);
    String quoted = shown == null ? "" : " `" + ButaneException.quoted(shown) + "`";
    return ButaneException.at(path, position, "cannot unmarshal " + tag + quoted + into, "cannot unmarshal " + tag + into);
  }

  private static String goTypeName(FieldType type) {
    if (type instanceof ObjectSchema schema) {
      return "types." + schema.goType();
    }
    if (type instanceof FieldType.ListOf list) {
      return "[]" + goTypeName(list.element());
    }
    return ((FieldType.Scalar) type).name().toLowerCase();
  }
}
