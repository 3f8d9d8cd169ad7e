package dev.ironcore.boot.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and checks single properties; every failure names its property. */
record SettingReader(Function<String, String> property) {
  private static final Logger LOG = LoggerFactory.getLogger(SettingReader.class);
  private static final Pattern BYTES = Pattern.compile("(\\d{1,18})\\s*((?:[KMGT]i?)?)");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

  String string(String key, String dflt) {
    String value = property.apply(key);
    return value == null ? dflt : value.trim();
  }

  String nonBlank(String key, String dflt) {
    String value = string(key, dflt);
    if (value.isEmpty()) {
      throw new InvalidSettingException(key, value, "must not be empty");
    }
    return value;
  }

  String optionalUrl(String key) {
    String value = string(key, "");
    if (value.isEmpty()) {
      return value;
    }
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new InvalidSettingException(key, value, "expected an http(s) URL with a host");
      }
    } catch (java.net.URISyntaxException e) {
      throw new InvalidSettingException(key, value, "not a URL (" + e.getReason() + ")");
    }
    return value;
  }

  /**
   * A base URL put into iPXE scripts as given. Go takes any string here (the upstream Helm chart's
   * default is the placeholder {@code ipxe-service-url}), so a value that is no http(s) URL only warns;
   * whitespace or a control character would end the script's {@code set} line, and is refused.
   */
  String scriptUrl(String key) {
    String value = string(key, "");
    for (int i = 0; i < value.length(); i++) {
      if (Character.isWhitespace(value.charAt(i)) || Character.isISOControl(value.charAt(i))) {
        throw new InvalidSettingException(key, value.replaceAll("\\p{Cntrl}", "?"),
            "contains whitespace or a control character, which would break the iPXE script line");
      }
    }
    try {
      optionalUrl(key);
    } catch (InvalidSettingException notAUrl) {
      LOG.warn("{} is not an http(s) URL with a host: iPXE scripts and layer URLs will name {} as given",
          key, value);
    }
    return value;
  }

  Optional<Path> optionalPath(String key) {
    String value = string(key, "");
    return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
  }

  /** A byte count: digits with an optional K, M, G or T (powers of 1000) or Ki, Mi, Gi, Ti suffix. */
  long bytes(String key, String dflt) {
    String value = string(key, dflt);
    Matcher matcher = BYTES.matcher(value);
    if (!matcher.matches()) {
      throw new InvalidSettingException(key, value, "expected a byte count such as 20Gi or 500M");
    }
    String unit = matcher.group(2);
    int power = unit.isEmpty() ? 0 : "KMGT".indexOf(unit.charAt(0)) + 1;
    long base = unit.endsWith("i") ? 1024 : 1000;
    try {
      return Math.multiplyExact(Long.parseLong(matcher.group(1)), (long) Math.pow(base, power));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new InvalidSettingException(key, value, "too large");
    }
  }

  /** A positive duration: digits and ms, s, m or h. */
  Duration duration(String key, String dflt) {
    String value = string(key, dflt);
    Matcher matcher = DURATION.matcher(value);
    if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
      throw new InvalidSettingException(key, value, "expected a positive duration such as 30s, 500ms or 2m");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  Optional<Path> optionalFile(String key) {
    String value = string(key, "");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!Files.isReadable(Path.of(value))) {
      throw new InvalidSettingException(key, value, "file not found or not readable");
    }
    return Optional.of(Path.of(value));
  }

  ListenAddress address(String key, String dflt) {
    return ListenAddress.parse(key, string(key, dflt));
  }

  int port(String key, int dflt) {
    String value = string(key, String.valueOf(dflt));
    return ListenAddress.parse(key, ":" + value).port();
  }

  boolean bool(String key, boolean dflt) {
    String value = string(key, String.valueOf(dflt)).toLowerCase();
    if (!value.equals("true") && !value.equals("false")) {
      throw new InvalidSettingException(key, value, "expected true or false");
    }
    return Boolean.parseBoolean(value);
  }

  String oneOf(String key, String dflt, Set<String> allowed) {
    String value = string(key, dflt);
    if (!allowed.contains(value)) {
      throw new InvalidSettingException(key, value, "expected one of " + allowed);
    }
    return value;
  }

  List<String> list(String key, String dflt) {
    String value = string(key, "");
    String effective = value.isEmpty() ? dflt : value;
    return Arrays.stream(effective.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** A positive duration such as {@code 500ms}, {@code 2s}, {@code 5m} or {@code 1h}. */
  Duration duration(String key, Duration dflt) {
    String value = string(key, "");
    if (value.isEmpty()) {
      return dflt;
    }
    Matcher parts = DURATION.matcher(value);
    if (!parts.matches() || Long.parseLong(parts.group(1)) == 0) {
      throw new InvalidSettingException(key, value, "expected a positive duration such as 500ms, 2s, 5m or 1h");
    }
    long amount = Long.parseLong(parts.group(1));
    return switch (parts.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /** The value of {@code boot.controllers} that enables none (an empty list means all). */
  static final String NO_CONTROLLERS = "none";

  Set<String> controllers(String key) {
    if (string(key, "").equals(NO_CONTROLLERS)) {
      return Set.of();
    }
    Set<String> result = new LinkedHashSet<>(list(key, String.join(",", BootSettings.ALL_CONTROLLERS)));
    for (String name : result) {
      if (!BootSettings.ALL_CONTROLLERS.contains(name)) {
        throw new InvalidSettingException(key, name, "unknown controller; known: " + BootSettings.ALL_CONTROLLERS);
      }
    }
    return Set.copyOf(result);
  }
}
