package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.IgnitionValidator.forEach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Ignition's checks of disks, partitions, RAID, filesystems and LUKS volumes. */
final class StorageRules {

  private static final Pattern GUID = Pattern.compile("[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}");
  private static final Set<String> RAID_LEVELS = Set.of("linear", "raid0", "0", "stripe", "raid1", "1", "mirror",
      "raid4", "4", "raid5", "5", "raid6", "6", "raid10", "10");
  private static final Map<String, Integer> LABEL_LIMITS = Map.of("ext4", 16, "xfs", 12, "vfat", 11,
      "btrfs", 256, "swap", 15);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final FcosVersion version;
  private final Problems problems;
  private final ResourceRules resources;

  StorageRules(FcosVersion version, Problems problems, ResourceRules resources) {
    this.version = version;
    this.problems = problems;
    this.resources = resources;
  }

  void check(JsonNode storage) {
    Set<String> disks = new HashSet<>();
    forEach(storage, "disks", "$.storage.disks", (disk, path) -> {
      unique(disks, disk, "device", path);
      checkPartitions(disk, path);
    });
    Set<String> raids = new HashSet<>();
    forEach(storage, "raid", "$.storage.raid", (raid, path) -> {
      unique(raids, raid, "name", path);
      checkRaid(raid, path);
    });
    Set<String> filesystems = new HashSet<>();
    forEach(storage, "filesystems", "$.storage.filesystems", (fs, path) -> {
      unique(filesystems, fs, "device", path);
      checkFilesystem(fs, path);
    });
    Set<String> volumes = new HashSet<>();
    forEach(storage, "luks", "$.storage.luks", (luks, path) -> {
      unique(volumes, luks, "name", path);
      checkLuks(luks, path);
    });
  }

  private void checkPartitions(ObjectNode disk, String diskPath) {
    Set<String> numbers = new HashSet<>();
    Set<String> labels = new HashSet<>();
    forEach(disk, "partitions", diskPath + ".partitions", (partition, path) -> {
      if (partition.path("number").asLong(0) != 0) {
        unique(numbers, partition, "number", path);
      }
      String label = Json.text(partition, "label");
      if (label != null && label.length() > 36) {
        throw problems.error(partition, "label", path, "partition labels may not exceed 36 characters");
      }
      if (label != null && !label.isEmpty()) {
        unique(labels, partition, "label", path);
      }
      for (String key : new String[] {"typeGuid", "guid"}) {
        String guid = Json.text(partition, key);
        if (guid != null && !guid.isEmpty() && !GUID.matcher(guid).matches()) {
          throw problems.error(partition, key, path, "invalid GUID");
        }
      }
    });
  }

  private void checkRaid(ObjectNode raid, String path) {
    if (!RAID_LEVELS.contains(Json.text(raid, "level") == null ? "" : Json.text(raid, "level"))) {
      throw problems.error(raid, "level", path, "raid level is invalid");
    }
    if (raid.path("devices").isEmpty()) {
      throw problems.error(raid, "devices", path, "raid requires devices");
    }
  }

  private void checkFilesystem(ObjectNode fs, String path) {
    String format = Json.text(fs, "format");
    if (format == null || format.isEmpty()) {
      for (String key : new String[] {"path", "label", "uuid", "options", "mountOptions", "wipeFilesystem"}) {
        if (fs.has(key) && !(key.equals("wipeFilesystem") && !Json.isTrue(fs, key))) {
          throw problems.error(fs, "format", path, "format is required when " + key + " is set");
        }
      }
      return;
    }
    boolean none = format.equals("none") && version.ignitionMinor() >= 3;
    if (!LABEL_LIMITS.containsKey(format) && !none) {
      throw problems.error(fs, "format", path, "invalid filesystem format");
    }
    String label = Json.text(fs, "label");
    if (label != null && LABEL_LIMITS.containsKey(format) && label.length() > LABEL_LIMITS.get(format)) {
      throw problems.error(fs, "label", path, "filesystem label is too long");
    }
    if (fs.has("path")) {
      CleanPaths.check(problems, fs, "path", path);
    }
  }

  private void checkLuks(ObjectNode luks, String path) {
    String name = Json.text(luks, "name");
    if (name == null || name.isEmpty() || name.contains("/")) {
      throw problems.error(luks, "name", path, "luks name must be non-empty and may not contain '/'");
    }
    if (Json.text(luks, "device") == null || Json.text(luks, "device").isEmpty()) {
      throw problems.error(luks, "device", path, "luks device is required");
    }
    if (luks.has("keyFile")) {
      resources.check(luks.get("keyFile"), path + ".keyFile");
    }
    JsonNode clevis = luks.path("clevis");
    boolean builtIn = clevis.has("tpm2") || clevis.has("threshold") || !clevis.path("tang").isEmpty();
    if (clevis.has("custom") && !clevis.get("custom").isEmpty() && builtIn) {
      throw problems.error(clevis, "custom", path + ".clevis", "cannot use custom clevis config with tpm2, tang, or threshold");
    }
    forEach(clevis, "tang", path + ".clevis.tang", this::checkTang);
  }

  private void checkTang(ObjectNode tang, String path) {
    String url = Json.text(tang, "url");
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw problems.error(tang, "url", path, "invalid url scheme");
    }
    if (Json.text(tang, "thumbprint") == null || Json.text(tang, "thumbprint").isEmpty()) {
      throw problems.error(tang, "thumbprint", path, "tang thumbprint is required");
    }
    String advertisement = Json.text(tang, "advertisement");
    if (advertisement != null && !advertisement.isEmpty()) {
      try {
        MAPPER.readTree(advertisement);
      } catch (java.io.IOException e) {
        throw problems.error(tang, "advertisement", path, "advertisement is not valid JSON");
      }
    }
  }

  private void unique(Set<String> seen, JsonNode entry, String key, String path) {
    String value = entry.path(key).asText();
    if (!seen.add(value)) {
      throw problems.error(entry, key, path, "duplicate entry defined");
    }
  }
}
