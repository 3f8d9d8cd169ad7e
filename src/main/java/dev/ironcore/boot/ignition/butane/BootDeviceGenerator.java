package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Expands {@code boot_device} (mirrored and/or LUKS-encrypted root) into storage config. */
final class BootDeviceGenerator {

  private static final String RESERVED_GUID = "8DA63339-0007-60C0-C436-083AC8230908";
  private static final String BIOS_GUID = "21686148-6449-6E6F-744E-656564454649";
  private static final String PREP_GUID = "9E1A2D38-C612-4316-AA26-8B49521E5A8B";
  private static final String ESP_GUID = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";

  private BootDeviceGenerator() {}

  static boolean wantsLuks(JsonNode bootDevice) {
    JsonNode luks = bootDevice.path("luks");
    return Json.isTrue(luks, "tpm2") || !Json.objects(luks, "tang").isEmpty()
        || Json.isTrue(luks.get("cex"), "enabled");
  }

  static boolean wantsMirror(JsonNode bootDevice) {
    return !Json.strings(bootDevice.path("mirror"), "devices").isEmpty();
  }

  /** The generated config (only storage), empty when boot_device asks for nothing. */
  static ObjectNode generate(JsonNode bootDevice, BootLayout layout) {
    ObjectNode config = Json.object();
    boolean luks = wantsLuks(bootDevice);
    boolean mirror = wantsMirror(bootDevice);
    if (!luks && !mirror) {
      return config;
    }
    ObjectNode storage = config.putObject("storage");
    if (mirror) {
      addMirror(storage, Json.strings(bootDevice.path("mirror"), "devices"), layout);
    }
    if (luks) {
      Json.array(storage, "luks").add(luksRoot(bootDevice.path("luks"), layout, mirror));
    }
    String rootDevice = luks ? "/dev/mapper/root" : "/dev/md/md-root";
    Json.array(storage, "filesystems").add(filesystem(rootDevice, "xfs", "root"));
    return config;
  }

  private static void addMirror(ObjectNode storage, List<String> devices, BootLayout layout) {
    ArrayNode disks = storage.putArray("disks");
    ArrayNode filesystems = storage.putArray("filesystems");
    for (int i = 1; i <= devices.size(); i++) {
      disks.add(mirroredDisk(devices.get(i - 1), i, layout));
      if (layout.esp) {
        filesystems.add(filesystem("/dev/disk/by-partlabel/esp-" + i, "vfat", "esp-" + i));
      }
    }
    ArrayNode raid = storage.putArray("raid");
    raid.add(raid("md-boot", "boot", devices.size()).set("options", Json.strings(List.of("--metadata=1.0"))));
    raid.add(raid("md-root", "root", devices.size()));
    filesystems.add(filesystem("/dev/md/md-boot", "ext4", "boot"));
  }

  private static ObjectNode mirroredDisk(String device, int index, BootLayout layout) {
    ObjectNode disk = Json.object().put("device", device).put("wipeTable", true);
    ArrayNode partitions = disk.putArray("partitions");
    if (layout.bios) {
      partitions.add(partition("bios-" + index, 1, BIOS_GUID));
    } else if (layout.prep) {
      partitions.add(partition("prep-" + index, 4, PREP_GUID));
    } else {
      partitions.add(partition("reserved-" + index, 1, RESERVED_GUID));
    }
    if (layout.esp) {
      partitions.add(partition("esp-" + index, 127, ESP_GUID));
    } else {
      partitions.add(partition("reserved-" + index, 1, RESERVED_GUID));
    }
    partitions.add(Json.object().put("label", "boot-" + index).put("sizeMiB", 384));
    partitions.add(Json.object().put("label", "root-" + index));
    return disk;
  }

  private static ObjectNode partition(String label, int sizeMiB, String typeGuid) {
    return Json.object().put("label", label).put("sizeMiB", sizeMiB).put("typeGuid", typeGuid);
  }

  private static ObjectNode raid(String name, String labelPrefix, int count) {
    ObjectNode raid = Json.object().put("name", name).put("level", "raid1");
    ArrayNode devices = raid.putArray("devices");
    for (int i = 1; i <= count; i++) {
      devices.add("/dev/disk/by-partlabel/" + labelPrefix + "-" + i);
    }
    return raid;
  }

  private static ObjectNode luksRoot(JsonNode luks, BootLayout layout, boolean mirror) {
    ObjectNode root = Json.object().put("name", "root").put("label", "luks-root").put("wipeVolume", true)
        .put("device", luksDevice(luks, layout, mirror));
    if (Json.isTrue(luks.get("cex"), "enabled")) {
      root.putObject("cex").put("enabled", true);
    } else {
      ObjectNode clevis = root.putObject("clevis");
      copyIfSet(luks, clevis, "tang");
      copyIfSet(luks, clevis, "threshold");
      copyIfSet(luks, clevis, "tpm2");
    }
    copyIfSet(luks, root, "discard");
    return root;
  }

  private static String luksDevice(JsonNode luks, BootLayout layout, boolean mirror) {
    if (layout == BootLayout.S390X_ECKD) {
      return Json.text(luks, "device") + "2";
    }
    if (layout == BootLayout.S390X_ZFCP) {
      return Json.text(luks, "device") + "4";
    }
    return mirror ? "/dev/md/md-root" : "/dev/disk/by-partlabel/root";
  }

  private static ObjectNode filesystem(String device, String format, String label) {
    return Json.object().put("device", device).put("format", format).put("label", label)
        .put("wipeFilesystem", true);
  }

  private static void copyIfSet(JsonNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field).deepCopy());
    }
  }
}
