package dev.ironcore.boot.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our CRDs are upstream's in everything but descriptions: names (with listKind and short names),
 * scope, versions, subresources, printer columns in their order, and the whole OpenAPI schema with
 * its validation. Upstream's files, descriptions removed, are in src/test/resources/upstream-crds.
 * Numbers compare by value (the generator writes {@code minimum: 0.0} where controller-gen writes 0);
 * controller-gen's version annotation is not ours to carry.
 */
class UpstreamCrdsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String CONTROLLER_GEN_ANNOTATION = "controller-gen.kubebuilder.io/version";
  private static final String SPEC = "/spec/versions/0/schema/openAPIV3Schema/properties/spec";
  private static final String CONDITION =
      "/spec/versions/0/schema/openAPIV3Schema/properties/status/properties/conditions/items";

  @ParameterizedTest
  @CsvSource({
      "k8s/crd/ipxebootconfigs.boot.ironcore.dev-v1.yml, boot.ironcore.dev_ipxebootconfigs.yaml",
      "k8s/crd/httpbootconfigs.boot.ironcore.dev-v1.yml, boot.ironcore.dev_httpbootconfigs.yaml",
      "k8s/embedded/serverbootconfigurations.metal.ironcore.dev-v1.yml, metal.ironcore.dev_serverbootconfigurations.yaml"})
  void ourCrdIsUpstreamsButForDescriptions(String ours, String upstream) throws IOException {
    // Given our committed CRD (generated from the model classes) and upstream's
    JsonNode ourCrd = comparable(YAML.readTree(Files.readAllBytes(Path.of(ours))));
    JsonNode upstreamCrd = comparable(upstream(upstream));

    // Then nothing differs
    assertThat(differences(ourCrd, upstreamCrd)).isEmpty();
  }

  @Test
  void everyDifferenceButDescriptionsIsFound() throws IOException {
    // Given upstream's IPXEBootConfig CRD
    JsonNode upstream = upstream("boot.ironcore.dev_ipxebootconfigs.yaml");

    // Then a description changes nothing, and each of these changes is found where it is
    assertThat(differences(comparable(changed(upstream, crd -> schema(crd, "spec").put("description", "other"))),
        comparable(upstream))).isEmpty();
    assertThat(differenceIn(upstream, crd -> {
      ArrayNode columns = (ArrayNode) crd.at("/spec/versions/0/additionalPrinterColumns");
      columns.add(columns.remove(0));
    })).containsExactly("/spec/versions/0/additionalPrinterColumns/0/jsonPath",
        "/spec/versions/0/additionalPrinterColumns/0/name", "/spec/versions/0/additionalPrinterColumns/0/type",
        "/spec/versions/0/additionalPrinterColumns/1/jsonPath", "/spec/versions/0/additionalPrinterColumns/1/name",
        "/spec/versions/0/additionalPrinterColumns/1/type");
    assertThat(differenceIn(upstream, crd -> ((ObjectNode) crd.at("/spec/names")).remove("listKind")))
        .containsExactly("/spec/names/listKind");
    assertThat(differenceIn(upstream, crd -> property(condition(crd), "reason").put("pattern", ".*")))
        .containsExactly(CONDITION + "/properties/reason/pattern");
    assertThat(differenceIn(upstream, crd -> condition(crd).withArrayProperty("required").remove(0)))
        .containsExactly(CONDITION + "/required");
    assertThat(differenceIn(upstream, crd -> property(condition(crd), "status").withArrayProperty("enum")
        .insert(0, "Unknown").remove(3))).containsExactly(CONDITION + "/properties/status/enum/0",
        CONDITION + "/properties/status/enum/1", CONDITION + "/properties/status/enum/2");
    assertThat(differenceIn(upstream, crd -> property(schema(crd, "spec"), "ignitionSecretRef")
        .remove("x-kubernetes-map-type"))).containsExactly(SPEC + "/properties/ignitionSecretRef/x-kubernetes-map-type");
    assertThat(differenceIn(upstream, crd -> property(condition(crd), "message").put("maxLength", 32767)))
        .containsExactly(CONDITION + "/properties/message/maxLength");
  }

  private static List<String> differenceIn(JsonNode upstream, Consumer<ObjectNode> change) {
    return differences(comparable(changed(upstream, change)), comparable(upstream)).stream()
        .map(difference -> difference.substring(0, difference.indexOf(':'))).toList();
  }

  private static JsonNode changed(JsonNode crd, Consumer<ObjectNode> change) {
    ObjectNode copy = crd.deepCopy();
    change.accept(copy);
    return copy;
  }

  private static ObjectNode schema(ObjectNode crd, String property) {
    return (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/" + property);
  }

  private static ObjectNode property(ObjectNode schema, String name) {
    return schema.withObjectProperty("properties").withObjectProperty(name);
  }

  private static ObjectNode condition(ObjectNode crd) {
    return (ObjectNode) crd.at(CONDITION);
  }

  private static JsonNode upstream(String file) throws IOException {
    try (InputStream in = UpstreamCrdsTest.class.getResourceAsStream("/upstream-crds/" + file)) {
      assertThat(in).as(file).isNotNull();
      return YAML.readTree(in);
    }
  }

  /** A copy without descriptions or controller-gen's annotation, every number a plain decimal. */
  static JsonNode comparable(JsonNode crd) {
    JsonNode copy = normalised(crd, false);
    if (copy.at("/metadata/annotations") instanceof ObjectNode annotations) {
      annotations.remove(CONTROLLER_GEN_ANNOTATION);
      if (annotations.isEmpty()) {
        ((ObjectNode) copy.get("metadata")).remove("annotations");
      }
    }
    return copy;
  }

  private static JsonNode normalised(JsonNode node, boolean namesProperties) {
    if (node.isNumber()) {
      return DecimalNode.valueOf(node.decimalValue().stripTrailingZeros());
    }
    if (node.isArray()) {
      ArrayNode copy = YAML.createArrayNode();
      node.forEach(element -> copy.add(normalised(element, false)));
      return copy;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode copy = YAML.createObjectNode();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      // a schema's description goes; a property that happens to be named "description" stays
      if (!namesProperties && field.getKey().equals("description") && field.getValue().isTextual()) {
        continue;
      }
      copy.set(field.getKey(), normalised(field.getValue(), field.getKey().equals("properties")));
    }
    return copy;
  }

  /** Where {@code ours} and {@code upstream} differ, as JSON pointers with both values. */
  static List<String> differences(JsonNode ours, JsonNode upstream) {
    List<String> found = new ArrayList<>();
    collect("", ours, upstream, found);
    return found;
  }

  private static void collect(String path, JsonNode ours, JsonNode upstream, List<String> found) {
    if (ours != null && upstream != null && ours.isObject() && upstream.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      ours.fieldNames().forEachRemaining(names::add);
      upstream.fieldNames().forEachRemaining(names::add);
      names.forEach(name -> collect(path + "/" + name, ours.get(name), upstream.get(name), found));
    } else if (ours != null && upstream != null && ours.isArray() && upstream.isArray()
        && ours.size() == upstream.size()) {
      for (int i = 0; i < ours.size(); i++) {
        collect(path + "/" + i, ours.get(i), upstream.get(i), found);
      }
    } else if (ours == null || !ours.equals(upstream)) {
      found.add(path + ": ours " + ours + ", upstream " + upstream);
    }
  }
}
