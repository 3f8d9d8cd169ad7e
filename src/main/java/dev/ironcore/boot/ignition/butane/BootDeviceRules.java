package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/** Butane's checks of {@code boot_device}: layouts, mirror size, s390x devices and CEX. */
final class BootDeviceRules {

  private static final Pattern DASD = Pattern.compile("/dev/dasd[a-z]+");
  private static final Pattern SCSI = Pattern.compile("/dev/sd[a-z]+");

  private final FcosVersion version;
  private final SourceMap sourceMap;
  private final Report report;

  BootDeviceRules(FcosVersion version, SourceMap sourceMap, Report report) {
    this.version = version;
    this.sourceMap = sourceMap;
    this.report = report;
  }

  void check(JsonNode bootDevice) {
    if (!(bootDevice instanceof ObjectNode device)) {
      return;
    }
    BootLayout layout = layout(device);
    checkMirror(device, layout);
    checkLuks(device, layout);
  }

  /** The layout, with unknown names rejected; x86_64 when absent. */
  BootLayout layout(ObjectNode device) {
    String name = Json.text(device, "layout");
    return BootLayout.of(name, version)
        .orElseThrow(() -> sourceMap.error(device, "layout", "$.boot_device.layout", "layout must be one of "
            + (version.atLeast(FcosVersion.V1_6) ? "aarch64, ppc64le, s390x-eckd, s390x-virt, s390x-zfcp, " : "aarch64, ppc64le, ")
            + "or x86_64"));
  }

  private void checkMirror(ObjectNode device, BootLayout layout) {
    JsonNode mirror = device.path("mirror");
    int devices = Json.strings(mirror, "devices").size();
    if (devices == 0) {
      return;
    }
    if (devices == 1) {
      throw sourceMap.error(mirror, "devices", "$.boot_device.mirror.devices",
          "mirroring requires at least two devices");
    }
    if (layout.isS390x()) {
      throw sourceMap.error(device, "layout", "$.boot_device.layout", "mirroring is not supported on s390x");
    }
    if (!device.has("layout")) {
      String problem = "boot_device.layout should be specified when mirroring";
      if (version.atLeast(FcosVersion.V1_7)) {
        throw sourceMap.error(device, "mirror", "$.boot_device.mirror", problem);
      }
      report.warn(sourceMap.locate(device, "mirror"), "$.boot_device.mirror", problem);
    }
  }

  private void checkLuks(ObjectNode device, BootLayout layout) {
    JsonNode luks = device.path("luks");
    boolean cex = Json.isTrue(luks.get("cex"), "enabled");
    boolean clevis = Json.isTrue(luks, "tpm2") || !Json.objects(luks, "tang").isEmpty();
    if (cex && !layout.isS390x()) {
      throw sourceMap.error(luks, "cex", "$.boot_device.luks.cex", "cex is only supported on s390x layouts");
    }
    if (cex && clevis) {
      throw sourceMap.error(luks, "cex", "$.boot_device.luks.cex", "cex cannot be used together with tang or tpm2");
    }
    String luksDevice = Json.text(luks, "device");
    if ((cex || clevis) && (layout == BootLayout.S390X_ECKD || layout == BootLayout.S390X_ZFCP)) {
      Pattern expected = layout == BootLayout.S390X_ECKD ? DASD : SCSI;
      if (luksDevice == null || !expected.matcher(luksDevice).matches()) {
        throw sourceMap.error(luks, "device", "$.boot_device.luks.device",
            "layout " + Json.text(device, "layout") + " requires luks.device matching " + expected.pattern());
      }
    }
    if (luksDevice != null && !cex && !clevis && version.atLeast(FcosVersion.V1_7)) {
      throw sourceMap.error(luks, "device", "$.boot_device.luks.device",
          "luks.device requires tpm2, tang or cex to be set");
    }
  }
}
