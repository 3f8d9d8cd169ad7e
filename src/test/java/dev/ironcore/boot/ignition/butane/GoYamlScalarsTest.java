package dev.ironcore.boot.ignition.butane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.ignition.butane.GoYamlScalars.Kind;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BUTANE.md §2: how Go yaml.v3 resolves plain scalars. */
class GoYamlScalarsTest {

  private static GoYamlScalars.Resolved plain(String text) {
    return GoYamlScalars.resolve(new YamlNode.Scalar(text, true, null, null));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"'', NULL", "~, NULL", "null, NULL", "NULL, NULL", "true, BOOL", "False, BOOL", "yes, STRING",
      "on, STRING", "12, INT", "-0x10, INT", "0o17, INT", "017, INT", "1.5, FLOAT", ".5, FLOAT", "1e3, FLOAT",
      ".inf, FLOAT", "-.Inf, FLOAT", ".nan, FLOAT", "08, FLOAT", "abc, STRING", "0x, STRING", "1.2.3, STRING",
      "2001-01-01, STRING", "<<, STRING"})
  void plain_scalars_resolve_like_yaml_v3(String text, Kind kind) {
    assertThat(plain(text).kind()).isEqualTo(kind);
  }

  @Test
  void quoted_scalars_are_always_strings() {
    assertThat(GoYamlScalars.resolve(new YamlNode.Scalar("12", false, null, null)).kind()).isEqualTo(Kind.STRING);
  }

  @Test
  void an_explicit_str_tag_makes_a_string() {
    assertThat(GoYamlScalars.resolve(new YamlNode.Scalar("12", true, "tag:yaml.org,2002:str", null)).kind())
        .isEqualTo(Kind.STRING);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"0644, 420", "0o644, 420", "0x1a4, 420", "0b11, 3", "1_000, 1000", "-12, -12", "644.9, 644",
      "9223372036854775807, 9223372036854775807"})
  void int_fields_accept_ints_and_truncate_floats(String text, long expected) {
    assertThat(GoYamlScalars.toInt(plain(text))).isEqualTo(OptionalLong.of(expected));
  }

  @ParameterizedTest
  @CsvSource({"9223372036854775808", "18446744073709551616", ".nan", ".inf", "abc", "true"})
  void int_fields_reject_the_rest(String text) {
    assertThat(GoYamlScalars.toInt(plain(text))).isEmpty();
  }

  @Test
  void bool_fields_take_1_1_words_and_reject_others() {
    assertThat(GoYamlScalars.toBool(plain("Yes"))).isTrue();
    assertThat(GoYamlScalars.toBool(plain("yEs"))).isNull();
    assertThat(GoYamlScalars.toBool(plain("YES"))).isTrue();
    assertThat(GoYamlScalars.toBool(plain("OFF"))).isFalse();
    assertThat(GoYamlScalars.toBool(plain("1"))).isNull();
  }
}
