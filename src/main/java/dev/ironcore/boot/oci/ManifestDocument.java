package dev.ironcore.boot.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The parts of an image manifest or index we use: its layers, or its entries. */
record ManifestDocument(boolean isIndex, List<Descriptor> entries, List<Descriptor> layers) {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final List<String> ACCEPTED = List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);
  private static final Set<String> INDEX_TYPES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
  private static final ObjectMapper JSON = new ObjectMapper();

  static ManifestDocument parse(FetchedManifest manifest) {
    JsonNode json;
    try {
      json = JSON.readTree(manifest.bytes());
    } catch (IOException e) {
      throw bad(manifest, "is not JSON", e);
    }
    if (json == null || !json.isObject()) {
      throw bad(manifest, "is not a JSON object", null);
    }
    String mediaType = json.path("mediaType").asText(manifest.mediaType());
    boolean index = INDEX_TYPES.contains(mediaType) || INDEX_TYPES.contains(manifest.mediaType()) || json.has("manifests");
    List<Descriptor> descriptors = descriptors(manifest, json.path(index ? "manifests" : "layers"));
    return index ? new ManifestDocument(true, descriptors, List.of()) : new ManifestDocument(false, List.of(), descriptors);
  }

  private static List<Descriptor> descriptors(FetchedManifest manifest, JsonNode array) {
    List<Descriptor> descriptors = new ArrayList<>();
    for (JsonNode node : array) {
      String digest = node.path("digest").asText("");
      if (!ImageReference.DIGEST.matcher(digest).matches() || !node.path("size").canConvertToLong()) {
        throw bad(manifest, "has a descriptor without a sha256 digest or size: " + node, null);
      }
      Map<String, String> annotations = new LinkedHashMap<>();
      node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
      JsonNode architecture = node.path("platform").path("architecture");
      descriptors.add(new Descriptor(node.path("mediaType").asText(""), digest, node.path("size").asLong(),
          annotations, architecture.isTextual() ? Optional.of(architecture.asText()) : Optional.empty()));
    }
    return descriptors;
  }

  private static RegistryException bad(FetchedManifest manifest, String what, Throwable cause) {
    return new RegistryException(RegistryException.Kind.BAD_RESPONSE, "manifest " + manifest.digest() + " " + what, cause);
  }
}
