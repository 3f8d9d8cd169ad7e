package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where each decoded value came from, so later checks can name the field as the user wrote it and
 * give its line and column. Keyed by the identity of the containing JSON object or array, which
 * survives the merge of generated config (generated entries have no source location).
 */
final class SourceMap {

  /** {@code path} is the YAML path, e.g. {@code $.storage.files.0.path}. */
  record Location(String path, Position position) {}

  private static final String SELF = "";
  private final Map<JsonNode, Map<String, Location>> locations = new IdentityHashMap<>();

  void recordContainer(JsonNode container, Location location) {
    record(container, SELF, location);
  }

  void record(JsonNode container, String child, Location location) {
    locations.computeIfAbsent(container, c -> new HashMap<>()).put(child, location);
  }

  /** The child's location, else the container's, else null for generated config. */
  Location locate(JsonNode container, String child) {
    Map<String, Location> children = locations.get(container);
    if (children == null) {
      return null;
    }
    Location location = children.get(child);
    return location != null ? location : children.get(SELF);
  }

  /** An error about {@code child} of {@code container}: named by its source path if known. */
  ButaneException error(JsonNode container, String child, String fallbackPath, String problem) {
    return error(container, child, fallbackPath, problem, problem);
  }

  /** As {@link #error(JsonNode, String, String, String)}; {@code detailedProblem} may quote the input. */
  ButaneException error(JsonNode container, String child, String fallbackPath, String detailedProblem, String problem) {
    Location location = locate(container, child);
    if (location == null) {
      return ButaneException.at(fallbackPath, null, detailedProblem, problem);
    }
    String path = children(container).containsKey(child) ? location.path() : location.path() + "." + child;
    return ButaneException.at(path, location.position(), detailedProblem, problem);
  }

  private Map<String, Location> children(JsonNode container) {
    return locations.getOrDefault(container, Map.of());
  }
}
