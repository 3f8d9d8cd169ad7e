package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Ignition's config merge, parent (generated) under child (the user's config): the child wins field by
 * field, keyed lists merge entry by entry with the parent's entries first, some lists concatenate.
 * The child's objects are kept (and filled in), so their source locations stay valid.
 */
final class ConfigMerger {

  private static final Set<String> CONCATENATED = Set.of("append", "options", "mountOptions", "openOptions");
  private static final List<String> NODE_LISTS = List.of("files", "directories", "links");
  private static final Map<String, Function<JsonNode, String>> KEYS = Map.of(
      "partitions", ConfigMerger::partitionKey,
      "tang", entry -> entry.path("url").asText(),
      "merge", entry -> entry.path("source").asText(),
      "certificateAuthorities", entry -> entry.path("source").asText(),
      "disks", entry -> entry.path("device").asText(),
      "filesystems", entry -> entry.path("device").asText(),
      "files", entry -> entry.path("path").asText(),
      "directories", entry -> entry.path("path").asText(),
      "links", entry -> entry.path("path").asText());

  private ConfigMerger() {}

  static ObjectNode merge(ObjectNode parent, ObjectNode child) {
    return mergeObject(parent, child, "");
  }

  private static ObjectNode mergeObject(ObjectNode parent, ObjectNode child, String name) {
    if (name.equals("storage")) {
      mergeNodeLists(parent, child);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = parent.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      if (name.equals("storage") && NODE_LISTS.contains(key)) {
        continue;
      }
      JsonNode mine = child.get(key);
      JsonNode theirs = field.getValue();
      if (mine == null || mine.isNull()) {
        child.set(key, theirs);
      } else if (mine.isObject() && theirs.isObject()) {
        mergeObject((ObjectNode) theirs, (ObjectNode) mine, key);
      } else if (mine.isArray() && theirs.isArray()) {
        child.set(key, mergeList(key, (ArrayNode) theirs, (ArrayNode) mine));
      }
    }
    return child;
  }

  private static ArrayNode mergeList(String name, ArrayNode parent, ArrayNode child) {
    ArrayNode merged = Json.FACTORY.arrayNode();
    if (CONCATENATED.contains(name)) {
      return merged.addAll(parent).addAll(child);
    }
    Function<JsonNode, String> key = keyOf(name);
    List<String> parentKeys = new ArrayList<>();
    for (JsonNode entry : parent) {
      parentKeys.add(key.apply(entry));
      JsonNode match = find(child, key, key.apply(entry));
      merged.add(match == null ? entry : mergeEntry(name, entry, match));
    }
    for (JsonNode entry : child) {
      if (!parentKeys.contains(key.apply(entry))) {
        merged.add(entry);
      }
    }
    return merged;
  }

  /** files, directories and links share one key space: a path in another list drops the parent's entry. */
  private static void mergeNodeLists(ObjectNode parent, ObjectNode child) {
    for (String list : NODE_LISTS) {
      if (!parent.has(list)) {
        continue;
      }
      ArrayNode kept = Json.FACTORY.arrayNode();
      for (JsonNode entry : parent.get(list)) {
        String path = entry.path("path").asText();
        boolean elsewhere = NODE_LISTS.stream().filter(other -> !other.equals(list))
            .anyMatch(other -> find(child.get(other), KEYS.get(other), path) != null);
        if (!elsewhere) {
          kept.add(entry);
        }
      }
      ArrayNode mine = child.get(list) instanceof ArrayNode array ? array : Json.FACTORY.arrayNode();
      child.set(list, mergeList(list, kept, mine));
    }
  }

  private static JsonNode mergeEntry(String name, JsonNode parent, JsonNode child) {
    if (parent.isObject() && child.isObject()) {
      return mergeObject((ObjectNode) parent, (ObjectNode) child, name);
    }
    return child;
  }

  private static Function<JsonNode, String> keyOf(String listName) {
    return KEYS.getOrDefault(listName, entry -> entry.isObject() ? entry.path("name").asText() : entry.asText());
  }

  private static JsonNode find(JsonNode list, Function<JsonNode, String> key, String wanted) {
    if (list != null) {
      for (JsonNode entry : list) {
        if (key.apply(entry).equals(wanted)) {
          return entry;
        }
      }
    }
    return null;
  }

  private static String partitionKey(JsonNode partition) {
    long number = partition.path("number").asLong(0);
    return number != 0 ? Long.toString(number) : partition.path("label").asText();
  }
}
