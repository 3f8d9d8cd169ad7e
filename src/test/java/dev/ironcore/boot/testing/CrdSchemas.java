package dev.ironcore.boot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates objects against the OpenAPI schemas of the CRDs in k8s/, as an API server holding those
 * CRDs would before storing them; the mock API validates nothing. Each CRD's openAPIV3Schema becomes
 * a JSON Schema (draft 4, which OpenAPI v3 schemas build on) with the Kubernetes keywords turned
 * into what they mean for one object:
 * <ul>
 *   <li>an object schema with properties and without {@code x-kubernetes-preserve-unknown-fields}
 *       admits no other fields: an API server would prune them, so a field we write that the CRD
 *       lacks would be lost without a word;</li>
 *   <li>{@code nullable} admits null; {@code x-kubernetes-int-or-string} an integer or a string;</li>
 *   <li>{@code format: date-time} is checked; {@code int64} is left to {@code type: integer};</li>
 *   <li>{@code default}, {@code description} and {@code x-kubernetes-map-type} do not bear on
 *       validity and are dropped.</li>
 * </ul>
 * Any other {@code x-kubernetes-*} keyword (CEL rules, list types) is refused rather than skipped,
 * so that no test passes believing it was checked.
 */
public final class CrdSchemas {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Set<String> DROPPED = Set.of("description", "default", "x-kubernetes-map-type");
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4,
      builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
          .pathType(PathType.JSON_POINTER).build()));

  /** By "apiVersion/kind". */
  private final Map<String, Schema> schemas = new HashMap<>();

  private CrdSchemas(List<Path> crds) {
    for (Path crd : crds) {
      JsonNode definition = read(crd);
      String group = definition.at("/spec/group").asText();
      String kind = definition.at("/spec/names/kind").asText();
      for (JsonNode version : definition.at("/spec/versions")) {
        JsonNode schema = jsonSchema(version.at("/schema/openAPIV3Schema"), crd + " " + version.get("name"));
        schemas.put(group + "/" + version.get("name").asText() + "/" + kind, REGISTRY.getSchema(schema));
      }
    }
  }

  /** The schemas of every CRD the mock API is given: ours and the metal stand-ins. */
  public static CrdSchemas ofProject() {
    return new CrdSchemas(MockCluster.CRDS);
  }

  /** {@link #violations(JsonNode)} of {@code object} as a client sends it. */
  public List<String> violations(HasMetadata object) {
    return violations(SERIALIZATION.convertValue(object, JsonNode.class));
  }

  /**
   * What an API server holding our CRDs would refuse (or silently drop) in the object {@code json},
   * each as "JSON pointer: why"; empty when nothing.
   */
  public List<String> violations(JsonNode json) {
    String key = json.path("apiVersion").asText() + "/" + json.path("kind").asText();
    Schema schema = schemas.get(key);
    if (schema == null) {
      throw new IllegalArgumentException("no CRD in k8s/ for " + key);
    }
    return schema.validate(json).stream().map(error -> error.getInstanceLocation() + ": " + error.getMessage())
        .toList();
  }

  /** The CRD schema as JSON Schema draft 4; {@code where} names it in errors. */
  static JsonNode jsonSchema(JsonNode openApi, String where) {
    if (openApi.isArray()) {
      ArrayNode converted = YAML.createArrayNode();
      openApi.forEach(element -> converted.add(jsonSchema(element, where)));
      return converted;
    }
    if (!openApi.isObject()) {
      return openApi;
    }
    ObjectNode converted = YAML.createObjectNode();
    for (Map.Entry<String, JsonNode> keyword : openApi.properties()) {
      String name = keyword.getKey();
      JsonNode value = keyword.getValue();
      switch (name) {
        case "properties" -> {
          ObjectNode properties = converted.putObject(name);
          value.properties().forEach(property ->
              properties.set(property.getKey(), jsonSchema(property.getValue(), where)));
        }
        case "items", "additionalProperties", "anyOf", "allOf", "oneOf", "not" ->
            converted.set(name, jsonSchema(value, where));
        case "format" -> {
          if (!value.asText().equals("int64")) {
            converted.set(name, value);
          }
        }
        case "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string" -> { }
        default -> {
          if (name.startsWith("x-kubernetes-") && !DROPPED.contains(name)) {
            throw new IllegalArgumentException(where + ": " + name + " is not checked by these tests");
          }
          if (!DROPPED.contains(name)) {
            converted.set(name, value);
          }
        }
      }
    }
    if (openApi.path("x-kubernetes-int-or-string").asBoolean() && !openApi.has("anyOf")) {
      converted.putArray("type").add("integer").add("string");
    }
    if (openApi.path("nullable").asBoolean() && converted.has("type")) {
      JsonNode type = converted.remove("type");
      converted.putArray("type").add(type).add("null");
    }
    if (openApi.has("properties") && !openApi.path("x-kubernetes-preserve-unknown-fields").asBoolean()
        && !openApi.has("additionalProperties")) {
      converted.put("additionalProperties", false);
    }
    return converted;
  }

  private static JsonNode read(Path crd) {
    try {
      return YAML.readTree(Files.readAllBytes(crd));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
