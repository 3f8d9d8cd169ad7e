package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Butane's own checks of the decoded source config, before anything is translated. */
final class SourceValidator {

  static final String NO_FILES_DIR =
      "local file paths are relative to a files directory that must be specified with -d/--files-dir";

  private final FcosVersion version;
  private final SourceMap sourceMap;
  private final Report report;

  SourceValidator(FcosVersion version, SourceMap sourceMap, Report report) {
    this.version = version;
    this.sourceMap = sourceMap;
    this.report = report;
  }

  void validate(ObjectNode config) {
    for (Resources.Site site : Resources.all(config)) {
      checkResource(site.resource());
    }
    JsonNode storage = config.path("storage");
    for (ObjectNode tree : Json.objects(storage, "trees")) {
      throw sourceMap.error(tree, "local", "$.storage.trees", NO_FILES_DIR);
    }
    checkLocalContents(config);
    Json.objects(storage, "filesystems").forEach(this::checkMountUnit);
    new BootDeviceRules(version, sourceMap, report).check(config.get("bootDevice"));
    Json.objects(config.path("grub"), "users").forEach(this::checkGrubUser);
  }

  private void checkResource(ObjectNode resource) {
    long sources = List.of("inline", "local", "source").stream().filter(resource::has).count();
    if (sources > 1) {
      throw sourceMap.error(resource, "source", "$", "only one of the following can be set: inline, local, source");
    }
    if (resource.has("local")) {
      throw sourceMap.error(resource, "local", "$", NO_FILES_DIR);
    }
  }

  private void checkLocalContents(ObjectNode config) {
    for (ObjectNode unit : Json.objects(config.path("systemd"), "units")) {
      checkContentsLocal(unit);
      Json.objects(unit, "dropins").forEach(this::checkContentsLocal);
    }
    for (ObjectNode user : Json.objects(config.path("passwd"), "users")) {
      if (user.has("sshAuthorizedKeysLocal") && !user.get("sshAuthorizedKeysLocal").isEmpty()) {
        throw sourceMap.error(user, "sshAuthorizedKeysLocal", "$", NO_FILES_DIR);
      }
    }
  }

  private void checkContentsLocal(ObjectNode unit) {
    if (unit.has("contentsLocal") && unit.has("contents")) {
      throw sourceMap.error(unit, "contentsLocal", "$",
          "only one of the following can be set: contents, contents_local");
    }
    if (unit.has("contentsLocal")) {
      throw sourceMap.error(unit, "contentsLocal", "$", NO_FILES_DIR);
    }
  }

  private void checkMountUnit(ObjectNode filesystem) {
    if (!Json.isTrue(filesystem, "withMountUnit")) {
      return;
    }
    String format = Json.text(filesystem, "format");
    String path = Json.text(filesystem, "path");
    if (format == null) {
      throw sourceMap.error(filesystem, "withMountUnit", "$", "format is required if with_mount_unit is true");
    }
    boolean swapUnit = format.equals("swap") && version.atLeast(FcosVersion.V1_4);
    if (path == null && !swapUnit) {
      throw sourceMap.error(filesystem, "withMountUnit", "$",
          "path is required if with_mount_unit is true and format is not swap");
    }
    if (path != null && !swapUnit && version.atLeast(FcosVersion.V1_6) && !isUnderEtcOrVar(path)) {
      throw sourceMap.error(filesystem, "path", "$",
          "with_mount_unit is only supported for paths under /etc or /var");
    }
  }

  private static boolean isUnderEtcOrVar(String path) {
    return path.equals("/etc") || path.equals("/var") || path.startsWith("/etc/") || path.startsWith("/var/");
  }

  private void checkGrubUser(ObjectNode user) {
    if (Json.text(user, "name") == null || Json.text(user, "name").isEmpty()) {
      throw sourceMap.error(user, "name", "$.grub.users", "field is required: name");
    }
    if (Json.text(user, "passwordHash") == null || Json.text(user, "passwordHash").isEmpty()) {
      throw sourceMap.error(user, "passwordHash", "$.grub.users", "field is required: password_hash");
    }
  }
}
