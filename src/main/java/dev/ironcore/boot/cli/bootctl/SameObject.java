package dev.ironcore.boot.cli.bootctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * Go's bootctl equality: the whole object (metadata, spec, status, data), except the fields each API
 * server sets for itself and the kind and apiVersion.
 */
final class SameObject {
  private static final List<String> SERVER_SET_METADATA =
      List.of("resourceVersion", "uid", "generation", "creationTimestamp", "managedFields");

  private final KubernetesSerialization serialization;

  SameObject(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  boolean identical(GenericKubernetesResource source, GenericKubernetesResource target) {
    return comparable(source).equals(comparable(target));
  }

  private JsonNode comparable(GenericKubernetesResource resource) {
    ObjectNode node = serialization.convertValue(resource, ObjectNode.class);
    node.remove(List.of("apiVersion", "kind"));
    if (node.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove(SERVER_SET_METADATA);
    }
    return node;
  }
}
