package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns {@code inline} into a data URL source: percent-encoded or base64 (1.1.0+), never gzipped
 * (the server's NoResourceAutoCompression), with {@code compression: ""} unless the user set one.
 */
final class ResourceTranslator {

  private final FcosVersion version;

  ResourceTranslator(FcosVersion version) {
    this.version = version;
  }

  void translate(ObjectNode resource) {
    if (!resource.has("inline")) {
      return;
    }
    byte[] bytes = DataUrls.utf8(resource.remove("inline").asText());
    if (!version.atLeast(FcosVersion.V1_1)) {
      resource.put("source", DataUrls.percentEncoded(bytes));
      return;
    }
    resource.put("source", DataUrls.shortest(bytes));
    if (Json.text(resource, "compression") == null) {
      resource.put("compression", "");
    }
  }

  /** An inline resource as the generated config carries it (grub's user.cfg). */
  ObjectNode inline(String text) {
    ObjectNode resource = Json.object().put("inline", text);
    translate(resource);
    return resource;
  }
}
