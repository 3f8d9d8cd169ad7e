package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Small helpers over Jackson trees that keep the translation code readable. */
final class Json {

  static final JsonNodeFactory FACTORY = JsonNodeFactory.instance;

  private Json() {}

  static ObjectNode object() {
    return FACTORY.objectNode();
  }

  /** The objects in {@code parent.field}, or none when it is absent. */
  static List<ObjectNode> objects(JsonNode parent, String field) {
    List<ObjectNode> objects = new ArrayList<>();
    JsonNode list = parent == null ? null : parent.get(field);
    if (list != null && list.isArray()) {
      list.forEach(item -> objects.add((ObjectNode) item));
    }
    return objects;
  }

  /** The strings in {@code parent.field}, or none when it is absent. */
  static List<String> strings(JsonNode parent, String field) {
    List<String> strings = new ArrayList<>();
    JsonNode list = parent == null ? null : parent.get(field);
    if (list != null && list.isArray()) {
      list.forEach(item -> strings.add(item.asText()));
    }
    return strings;
  }

  static String text(JsonNode parent, String field) {
    JsonNode value = parent == null ? null : parent.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  static boolean isTrue(JsonNode parent, String field) {
    JsonNode value = parent == null ? null : parent.get(field);
    return value != null && value.asBoolean(false);
  }

  /** The object at {@code parent.field}, created when absent. */
  static ObjectNode child(ObjectNode parent, String field) {
    JsonNode existing = parent.get(field);
    return existing instanceof ObjectNode object ? object : parent.putObject(field);
  }

  static ArrayNode array(ObjectNode parent, String field) {
    JsonNode existing = parent.get(field);
    return existing instanceof ArrayNode array ? array : parent.putArray(field);
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode array = FACTORY.arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** Visits every object in the list {@code field} of each of {@code parents}. */
  static void forEachObject(List<ObjectNode> parents, String field, BiConsumer<ObjectNode, ObjectNode> visitor) {
    for (ObjectNode parent : parents) {
      for (ObjectNode child : objects(parent, field)) {
        visitor.accept(parent, child);
      }
    }
  }
}
