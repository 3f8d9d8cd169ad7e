package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.IgnitionValidator.forEach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Ignition's checks of systemd units and drop-ins. */
final class SystemdRules {

  private static final List<String> UNIT_SUFFIXES = List.of(".service", ".socket", ".device", ".mount",
      ".automount", ".swap", ".target", ".path", ".timer", ".snapshot", ".slice", ".scope");
  private static final String UNIT_DIR = "/etc/systemd/system/";

  private final Problems problems;

  SystemdRules(Problems problems) {
    this.problems = problems;
  }

  void check(JsonNode systemd, JsonNode storage) {
    Set<String> nodePaths = new HashSet<>();
    for (String list : List.of("files", "directories", "links")) {
      Json.objects(storage, list).forEach(node -> nodePaths.add(Json.text(node, "path")));
    }
    Set<String> units = new HashSet<>();
    forEach(systemd, "units", "$.systemd.units", (unit, path) -> {
      String name = Json.text(unit, "name");
      if (!units.add(name)) {
        throw problems.error(unit, "name", path, "duplicate entry defined");
      }
      if (UNIT_SUFFIXES.stream().noneMatch(name::endsWith)) {
        throw problems.error(unit, "name", path, "invalid systemd unit extension");
      }
      if (nodePaths.contains(UNIT_DIR + name)) {
        throw problems.error(unit, "name", path, "unit conflicts with a file, directory or link at " + UNIT_DIR
            + ButaneException.quoted(name), "unit conflicts with a file, directory or link");
      }
      checkContents(unit, path);
      checkDropins(unit, path, nodePaths);
      checkInstallSection(unit, path);
    });
  }

  private void checkDropins(ObjectNode unit, String unitPath, Set<String> nodePaths) {
    Set<String> dropins = new HashSet<>();
    forEach(unit, "dropins", unitPath + ".dropins", (dropin, path) -> {
      String name = Json.text(dropin, "name");
      if (!dropins.add(name)) {
        throw problems.error(dropin, "name", path, "duplicate entry defined");
      }
      if (!name.endsWith(".conf")) {
        throw problems.error(dropin, "name", path, "invalid systemd unit drop-in extension");
      }
      if (nodePaths.contains(UNIT_DIR + Json.text(unit, "name") + ".d/" + name)) {
        throw problems.error(dropin, "name", path, "drop-in conflicts with a file, directory or link");
      }
      checkContents(dropin, path);
    });
  }

  private void checkContents(ObjectNode unit, String path) {
    String contents = Json.text(unit, "contents");
    String problem = contents == null ? null : UnitContents.problem(contents);
    if (problem != null) {
      throw problems.error(unit, "contents", path, "invalid unit content: " + problem);
    }
  }

  private void checkInstallSection(ObjectNode unit, String path) {
    String contents = Json.text(unit, "contents");
    if (Json.isTrue(unit, "enabled") && contents != null && !contents.contains("[Install]")) {
      problems.warn(unit, "enabled", path, "unit is enabled, but has no install section so enable does nothing");
    }
  }
}
