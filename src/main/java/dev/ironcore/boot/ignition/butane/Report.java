package dev.ironcore.boot.ignition.butane;

import java.util.ArrayList;
import java.util.List;

/** The warnings of one translation, in the order they were found. */
final class Report {

  private final List<String> warnings = new ArrayList<>();

  void warn(String path, Position position, String problem) {
    StringBuilder warning = new StringBuilder("warning at ").append(path);
    if (position != null) {
      warning.append(", ").append(position);
    }
    warnings.add(warning.append(": ").append(problem).toString());
  }

  void warn(SourceMap.Location location, String fallbackPath, String problem) {
    if (location == null) {
      warn(fallbackPath, null, problem);
    } else {
      warn(location.path(), location.position(), problem);
    }
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }
}
