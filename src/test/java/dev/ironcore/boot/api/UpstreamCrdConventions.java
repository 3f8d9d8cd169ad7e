package dev.ironcore.boot.api;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.ironcore.boot.api.schema.MapType;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What controller-gen writes into upstream's CRDs and crd-generator 7.4 has no annotation for,
 * applied to the generated CRD before it is written, each from a rule or from the model classes:
 * <ul>
 *   <li>{@code names.listKind} is the kind + "List";</li>
 *   <li>printer columns keep the order the class declares them in (the generator sorts them by JSON
 *       path) and leave out {@code priority: 0}, the default;</li>
 *   <li>the root schema lists {@code apiVersion}, {@code kind} (strings) and {@code metadata} (object);</li>
 *   <li>along the schema, from the Java type behind each node: {@link MapType} gives
 *       {@code x-kubernetes-map-type}, a {@code long} gives {@code format: int64}, and enum values keep
 *       the enum's declaration order (the generator sorts them).</li>
 * </ul>
 */
final class UpstreamCrdConventions implements CRDPostProcessor {
  /** The generator introspects with a plain ObjectMapper too, so property names match. */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, Class<? extends CustomResource<?, ?>>> classesByCrdName;

  @SafeVarargs
  UpstreamCrdConventions(Class<? extends CustomResource<?, ?>>... classes) {
    classesByCrdName = Stream.of(classes).collect(Collectors.toMap(CustomResource::getCRDName, c -> c));
  }

  @Override
  public HasMetadata process(HasMetadata generated, String crdSpecVersion) {
    CustomResourceDefinition crd = (CustomResourceDefinition) generated;
    Class<? extends CustomResource<?, ?>> type = classesByCrdName.get(crd.getMetadata().getName());
    crd.getSpec().getNames().setListKind(crd.getSpec().getNames().getKind() + "List");
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      orderPrinterColumns(version.getAdditionalPrinterColumns(), type);
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      Map<String, JSONSchemaProps> properties = new LinkedHashMap<>();
      properties.put("apiVersion", new JSONSchemaPropsBuilder().withType("string").build());
      properties.put("kind", new JSONSchemaPropsBuilder().withType("string").build());
      properties.put("metadata", new JSONSchemaPropsBuilder().withType("object").build());
      properties.putAll(root.getProperties());
      root.setProperties(properties);
      applyJavaTypes(root, MAPPER.constructType(type));
    }
    return crd;
  }

  private static void orderPrinterColumns(List<CustomResourceColumnDefinition> columns, Class<?> type) {
    List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    columns.sort(Comparator.comparingInt(column -> declared.indexOf(column.getName())));
    columns.stream().filter(column -> Integer.valueOf(0).equals(column.getPriority()))
        .forEach(column -> column.setPriority(null));
  }

  private static void applyJavaTypes(JSONSchemaProps schema, JavaType type) {
    if (schema.getItems() != null) {
      applyJavaTypes(schema.getItems().getSchema(), type.getContentType());
      return;
    }
    Class<?> raw = type.getRawClass();
    MapType mapType = raw.getAnnotation(MapType.class);
    if (mapType != null) {
      schema.setXKubernetesMapType(mapType.value());
    }
    if (raw == Long.class || raw == long.class) {
      schema.setFormat("int64");
    }
    if (raw.isEnum() && schema.getEnum() != null) {
      List<JsonNode> inDeclarationOrder = Arrays.stream(raw.getEnumConstants())
          .map(constant -> MAPPER.<JsonNode>valueToTree(constant)).toList();
      schema.setEnum(inDeclarationOrder);
    }
    if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
      return;
    }
    for (BeanPropertyDefinition property : MAPPER.getSerializationConfig().introspect(type).findProperties()) {
      JSONSchemaProps child = schema.getProperties().get(property.getName());
      if (child != null) {
        SchemaFrom from = property.getPrimaryMember().getAnnotation(SchemaFrom.class);
        applyJavaTypes(child, from == null ? property.getPrimaryType() : MAPPER.constructType(from.type()));
      }
    }
  }
}
