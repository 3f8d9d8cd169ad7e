package dev.ironcore.boot.oci;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate: Bearer realm="…",service="…"} challenge (RFC 6750 as registries send
 * it). Quoted values may contain commas, so parameters are read with a pattern, not by splitting.
 */
public record BearerChallenge(String realm, String service) {
  private static final Pattern SCHEME = Pattern.compile("^\\s*bearer\\s+", Pattern.CASE_INSENSITIVE);
  private static final Pattern PARAM =
      Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))\\s*(?:,|$)");

  /** The Bearer challenge in the header, if it is one and names a realm. */
  public static Optional<BearerChallenge> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher scheme = SCHEME.matcher(header);
    if (!scheme.find()) {
      return Optional.empty();
    }
    Map<String, String> params = new HashMap<>();
    Matcher param = PARAM.matcher(header);
    param.region(scheme.end(), header.length());
    while (param.lookingAt()) {
      String value = param.group(2) != null ? param.group(2).replaceAll("\\\\(.)", "$1") : param.group(3);
      params.putIfAbsent(param.group(1).toLowerCase(), value);
      param.region(param.end(), header.length());
    }
    String realm = params.get("realm");
    if (realm == null || realm.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new BearerChallenge(realm, params.getOrDefault("service", "")));
  }
}
