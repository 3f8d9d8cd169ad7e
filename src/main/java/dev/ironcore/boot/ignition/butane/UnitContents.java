package dev.ironcore.boot.ignition.butane;

/**
 * The unit file syntax check Ignition runs on unit and drop-in contents (go-systemd's deserializer):
 * every line is blank, a comment, a [section] or a name=value option (with \ continuation lines).
 */
final class UnitContents {

  private UnitContents() {}

  /** The syntax problem, or null when the contents parse. */
  static String problem(String contents) {
    boolean continued = false;
    for (String line : contents.split("\n", -1)) {
      String trimmed = line.strip();
      if (continued) {
        continued = trimmed.endsWith("\\");
        continue;
      }
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      if (trimmed.startsWith("[")) {
        if (!trimmed.endsWith("]")) {
          return "unable to find end of section";
        }
        continue;
      }
      if (!trimmed.contains("=")) {
        return "unexpected newline encountered while parsing option name";
      }
      continued = trimmed.endsWith("\\");
    }
    return null;
  }
}
