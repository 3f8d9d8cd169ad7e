package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;

/** Ignition's path rule: absolute, and Go's path.Clean(p) == p (no "//", "." or "..", no trailing "/"). */
final class CleanPaths {

  private CleanPaths() {}

  static void check(Problems problems, JsonNode holder, String key, String path) {
    String value = Json.text(holder, key);
    if (value == null || !value.startsWith("/")) {
      throw problems.error(holder, key, path, "path not absolute");
    }
    if (!isClean(value)) {
      throw problems.error(holder, key, path, "path is not fully simplified");
    }
  }

  static boolean isClean(String path) {
    if (path.equals("/")) {
      return true;
    }
    if (path.endsWith("/") || path.contains("//")) {
      return false;
    }
    for (String segment : path.substring(1).split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
