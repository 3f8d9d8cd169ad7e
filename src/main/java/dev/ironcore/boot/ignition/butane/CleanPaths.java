package dev.ironcore.boot.ignition.butane;

/** Go's path.Clean(p) == p for absolute paths: no "//", no "." or ".." segment, no trailing "/". */
final class CleanPaths {

  private CleanPaths() {}

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
