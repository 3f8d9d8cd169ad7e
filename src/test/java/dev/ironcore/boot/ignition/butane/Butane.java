package dev.ironcore.boot.ignition.butane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;

/** Test helpers: translate YAML text, compare JSON as values, check output with ignition-validate. */
final class Butane {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ButaneTranslator TRANSLATOR = new ButaneTranslator();

  private Butane() {}

  static Translation translate(String yaml) {
    Translation translation = TRANSLATOR.translate(yaml.getBytes(StandardCharsets.UTF_8));
    IgnitionValidate.assertAccepted(translation.ignitionJson());
    return translation;
  }

  /** Translates and asserts the output equals {@code expectedJson} as a JSON value. */
  static void assertTranslates(String yaml, String expectedJson) {
    assertThat(json(translate(yaml).ignitionJson())).isEqualTo(json(expectedJson));
  }

  static JsonNode output(String yaml) {
    return json(translate(yaml).ignitionJson());
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String yaml) {
    return assertThatThrownBy(() -> TRANSLATOR.translate(yaml.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ButaneException.class);
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new AssertionError("bad JSON in test: " + text, e);
    }
  }
}
