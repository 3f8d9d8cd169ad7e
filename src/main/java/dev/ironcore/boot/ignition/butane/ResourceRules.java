package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/** Ignition's checks of a resource: URL scheme and syntax, data URLs, hash, compression. */
final class ResourceRules {

  private static final Pattern SHA512 = Pattern.compile("sha512-[0-9a-f]{128}");
  private static final Pattern SHA256 = Pattern.compile("sha256-[0-9a-f]{64}");
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);

  private final FcosVersion version;
  private final Problems problems;

  ResourceRules(FcosVersion version, Problems problems) {
    this.version = version;
    this.problems = problems;
  }

  void check(JsonNode resource, String path) {
    String source = Json.text(resource, "source");
    if (source != null) {
      checkUrl(resource, "source", path, source);
    }
    String compression = Json.text(resource, "compression");
    if (compression != null && !compression.isEmpty() && !compression.equals("gzip")) {
      throw problems.error(resource, "compression", path, "invalid compression method");
    }
    String hash = Json.text(resource.path("verification"), "hash");
    if (hash != null) {
      if (source == null) {
        throw problems.error(resource, "verification", path, "verification requires a source");
      }
      boolean sha256 = version.ignitionMinor() >= 1 && SHA256.matcher(hash).matches();
      if (!SHA512.matcher(hash).matches() && !sha256) {
        throw problems.error(resource.get("verification"), "hash", path + ".verification", "invalid hash");
      }
    }
  }

  /** A URL Ignition can fetch: a known scheme, parsable, and a data URL that decodes. */
  void checkUrl(JsonNode holder, String key, String path, String url) {
    var scheme = SCHEME.matcher(url);
    if (!scheme.matches() || !allowedSchemes().contains(scheme.group(1).toLowerCase())) {
      throw problems.error(holder, key, path, "invalid url scheme");
    }
    if (scheme.group(1).equalsIgnoreCase("data")) {
      if (!isValidDataUrl(url.substring(5))) {
        throw problems.error(holder, key, path, "invalid data url");
      }
      return;
    }
    try {
      new URI(url.replace(" ", "%20"));
    } catch (URISyntaxException e) {
      throw problems.error(holder, key, path, "unable to parse url: " + e.getReason());
    }
  }

  private Set<String> allowedSchemes() {
    int minor = version.ignitionMinor();
    if (minor >= 4) {
      return Set.of("http", "https", "tftp", "s3", "data", "gs", "arn");
    }
    return minor >= 2 ? Set.of("http", "https", "tftp", "s3", "data", "gs") : Set.of("http", "https", "tftp", "s3", "data");
  }

  /** RFC 2397: {@code [mediatype][;base64],data} with valid percent escapes or base64. */
  static boolean isValidDataUrl(String afterScheme) {
    int comma = afterScheme.indexOf(',');
    if (comma < 0) {
      return false;
    }
    String data = afterScheme.substring(comma + 1);
    if (!hasValidEscapes(data)) {
      return false;
    }
    if (!afterScheme.substring(0, comma).endsWith(";base64")) {
      return true;
    }
    try {
      Base64.getDecoder().decode(URLDecoder.decode(data.replace("+", "%2B"), StandardCharsets.UTF_8));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean hasValidEscapes(String data) {
    for (int i = data.indexOf('%'); i >= 0; i = data.indexOf('%', i + 1)) {
      if (i + 2 >= data.length()) {
        return false;
      }
      if (Character.digit(data.charAt(i + 1), 16) < 0 || Character.digit(data.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
