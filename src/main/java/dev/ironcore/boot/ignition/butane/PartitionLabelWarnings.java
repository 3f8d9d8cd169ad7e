package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * fcos 1.6.0+: a partition of a disk that is not wiped, labelled like one of the image's partitions
 * but without that partition's number, would create a new partition instead of reusing it.
 */
final class PartitionLabelWarnings {

  private static final Map<String, Integer> IMAGE_PARTITIONS = Map.of("BIOS-BOOT", 1, "PowerPC-PReP-boot", 1,
      "EFI-SYSTEM", 2, "boot", 3, "root", 4);

  private PartitionLabelWarnings() {}

  static void check(JsonNode config, Problems problems) {
    IgnitionValidator.forEach(config.path("storage"), "disks", "$.storage.disks", (disk, diskPath) -> {
      if (Json.isTrue(disk, "wipeTable")) {
        return;
      }
      IgnitionValidator.forEach(disk, "partitions", diskPath + ".partitions", (partition, path) -> {
        Integer number = IMAGE_PARTITIONS.get(Json.text(partition, "label"));
        if (number != null && partition.path("number").asLong(0) != number) {
          problems.warn(partition, "label", path, "partition " + Json.text(partition, "label")
              + " should have number " + number + " to reuse the existing partition");
        }
      });
    });
  }
}
