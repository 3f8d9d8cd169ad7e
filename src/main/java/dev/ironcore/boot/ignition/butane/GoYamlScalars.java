package dev.ironcore.boot.ignition.butane;

import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How Go yaml.v3 reads a scalar into a Go field: plain scalars are resolved (null, bool, int with
 * YAML 1.1 octal, float), quoted and block scalars are strings, and a bool field also takes the
 * YAML 1.1 words (yes/no/on/off/y/n), quoted or not.
 */
final class GoYamlScalars {

  enum Kind { NULL, BOOL, INT, FLOAT, STRING }

  record Resolved(Kind kind, Object value) {}

  private static final String YAML_TAG = "tag:yaml.org,2002:";
  private static final Map<String, Resolved> WORDS = Map.ofEntries(
      Map.entry("true", bool(true)), Map.entry("True", bool(true)), Map.entry("TRUE", bool(true)),
      Map.entry("false", bool(false)), Map.entry("False", bool(false)), Map.entry("FALSE", bool(false)),
      Map.entry("~", new Resolved(Kind.NULL, null)), Map.entry("null", new Resolved(Kind.NULL, null)),
      Map.entry("Null", new Resolved(Kind.NULL, null)), Map.entry("NULL", new Resolved(Kind.NULL, null)),
      Map.entry(".nan", nonFinite()), Map.entry(".NaN", nonFinite()), Map.entry(".NAN", nonFinite()),
      Map.entry(".inf", nonFinite()), Map.entry(".Inf", nonFinite()), Map.entry(".INF", nonFinite()),
      Map.entry("+.inf", nonFinite()), Map.entry("+.Inf", nonFinite()), Map.entry("+.INF", nonFinite()),
      Map.entry("-.inf", nonFinite()), Map.entry("-.Inf", nonFinite()), Map.entry("-.INF", nonFinite()));
  private static final Set<String> TRUE_WORDS_1_1 = Set.of("y", "Y", "yes", "Yes", "YES", "on", "On", "ON");
  private static final Set<String> FALSE_WORDS_1_1 = Set.of("n", "N", "no", "No", "NO", "off", "Off", "OFF");
  private static final Pattern YAML_STYLE_FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9]+([eE][-+]?[0-9]+)?");

  private GoYamlScalars() {}

  static Resolved resolve(YamlNode.Scalar scalar) {
    if (!scalar.plain() || isStringTag(scalar.tag())) {
      return new Resolved(Kind.STRING, scalar.value());
    }
    String in = scalar.value();
    if (in.isEmpty()) {
      return new Resolved(Kind.NULL, null);
    }
    Resolved word = WORDS.get(in);
    if (word != null) {
      return word;
    }
    char first = in.charAt(0);
    if (first == '.' && DOT_FLOAT.matcher(in).matches()) {
      return new Resolved(Kind.FLOAT, Double.parseDouble(in));
    }
    if (Character.isDigit(first) || first == '+' || first == '-') {
      return resolveNumber(in);
    }
    return new Resolved(Kind.STRING, in);
  }

  /** The value for a Go bool field, or empty when yaml.v3 would report a type error. */
  static Boolean toBool(Resolved resolved) {
    if (resolved.kind() == Kind.BOOL) {
      return (Boolean) resolved.value();
    }
    if (resolved.kind() == Kind.STRING) {
      String word = (String) resolved.value();
      if (TRUE_WORDS_1_1.contains(word)) {
        return true;
      }
      if (FALSE_WORDS_1_1.contains(word)) {
        return false;
      }
    }
    return null;
  }

  /** The value for a Go int field: ints, and floats truncated like Go's int64(f). */
  static OptionalLong toInt(Resolved resolved) {
    if (resolved.kind() == Kind.INT && resolved.value() != null) {
      return OptionalLong.of((Long) resolved.value());
    }
    if (resolved.kind() == Kind.FLOAT && resolved.value() != null) {
      double value = (Double) resolved.value();
      if (value >= Long.MIN_VALUE && value < 0x1p63) {
        return OptionalLong.of((long) value);
      }
    }
    return OptionalLong.empty();
  }

  /** The YAML tag yaml.v3 would name in a type error ("cannot unmarshal !!str `x` into int"). */
  static String shortTag(Resolved resolved) {
    return switch (resolved.kind()) {
      case NULL -> "!!null";
      case BOOL -> "!!bool";
      case INT -> "!!int";
      case FLOAT -> "!!float";
      case STRING -> "!!str";
    };
  }

  private static Resolved resolveNumber(String in) {
    String plain = in.replace("_", "");
    OptionalLong integer = GoIntegers.parseBaseZero(plain);
    if (integer.isPresent()) {
      return new Resolved(Kind.INT, integer.getAsLong());
    }
    if (YAML_STYLE_FLOAT.matcher(plain).matches()) {
      double value = Double.parseDouble(plain);
      if (!Double.isInfinite(value)) {
        return new Resolved(Kind.FLOAT, value);
      }
    }
    if (GoIntegers.isUnsignedOverflow(plain)) {
      return new Resolved(Kind.INT, null);
    }
    return new Resolved(Kind.STRING, in);
  }

  private static boolean isStringTag(String tag) {
    if (tag == null) {
      return false;
    }
    String shortName = tag.startsWith(YAML_TAG) ? tag.substring(YAML_TAG.length()) : tag;
    return !Set.of("int", "bool", "float", "null", "timestamp").contains(shortName);
  }

  private static Resolved bool(boolean value) {
    return new Resolved(Kind.BOOL, value);
  }

  private static Resolved nonFinite() {
    return new Resolved(Kind.FLOAT, null);
  }
}
