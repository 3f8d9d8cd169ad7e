package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;

/**
 * Step 5 of the pipeline: maps the decoded fcos config to Ignition, expands the sugar, and merges the
 * generated config under the user's (mount units, then boot_device, then grub).
 */
final class FcosTranslator {

  private final FcosVersion version;
  private final ResourceTranslator resources;
  private final InlineConfigCheck inlineConfigs;

  FcosTranslator(FcosVersion version, InlineConfigCheck inlineConfigs) {
    this.version = version;
    this.resources = new ResourceTranslator(version);
    this.inlineConfigs = inlineConfigs;
  }

  ObjectNode translate(ObjectNode source, BootLayout layout) {
    JsonNode bootDevice = source.remove("bootDevice");
    JsonNode grub = source.remove("grub");
    ObjectNode mountUnits = MountUnitGenerator.generate(source.path("storage"), version);
    ObjectNode config = mapFields(source);
    config = ConfigMerger.merge(mountUnits, config);
    if (bootDevice != null) {
      config = ConfigMerger.merge(BootDeviceGenerator.generate(bootDevice, layout), config);
    }
    config = ConfigMerger.merge(GrubGenerator.generate(grub, resources), config);
    dropEmpty(config);
    return config;
  }

  /** The user's config in Ignition's shape: resources as data URLs, Butane-only fields gone. */
  private ObjectNode mapFields(ObjectNode source) {
    source.remove("variant");
    source.remove("version");
    translateResources(source);
    dropButaneOnlyStorageFields(source.path("storage"));
    JsonNode userIgnition = source.remove("ignition");
    ObjectNode ignition = userIgnition instanceof ObjectNode user ? user : Json.object();
    ignition.put("version", version.ignition());
    ObjectNode config = Json.object();
    config.set("ignition", ignition);
    config.setAll(source);
    return config;
  }

  private void translateResources(ObjectNode source) {
    for (Resources.Site site : Resources.all(source)) {
      if (site.isConfigReference() && site.resource().has("inline")) {
        inlineConfigs.check(site.resource().get("inline").asText(), site);
      }
      resources.translate(site.resource());
    }
  }

  private static void dropButaneOnlyStorageFields(JsonNode storage) {
    if (storage instanceof ObjectNode storageObject) {
      storageObject.remove("trees");
    }
    Json.objects(storage, "filesystems").forEach(fs -> fs.remove("withMountUnit"));
    // Partition.Number is a plain Go int: 0 means unset and is not output.
    Json.forEachObject(Json.objects(storage, "disks"), "partitions", (disk, partition) -> {
      if (partition.path("number").asLong(-1) == 0) {
        partition.remove("number");
      }
    });
  }

  /** Go's omitempty and Ignition's marshalling: empty objects and lists are not output. */
  static void dropEmpty(JsonNode node) {
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      JsonNode child = it.next();
      if (child.isContainerNode()) {
        dropEmpty(child);
        if (child.isEmpty() && node.isObject()) {
          it.remove();
        }
      }
    }
  }
}
