package dev.ironcore.boot.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class ZapEncoderTest {
  private static final Instant AT = Instant.parse("2026-12-07T08:15:30.120000000Z");
  private final LoggerContext context = new LoggerContext();

  private LoggingEvent event(Level level, String message, Throwable thrown) {
    LoggingEvent event = new LoggingEvent("test", context.getLogger("dev.ironcore.boot.Example"), level, message, thrown, null);
    event.setInstant(AT);
    return event;
  }

  private static String encode(ZapEncoder encoder, LoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void jsonIsOneObjectPerLineWithZapsKeys() throws Exception {
    String line = encode(new ZapEncoder(true, Level.ERROR, "epoch"),
        event(Level.INFO, "served \"quoted\"\nsecond line", null));

    assertThat(line).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("info");
    assertThat(json.get("ts").isNumber()).isTrue();
    assertThat(json.get("ts").decimalValue()).isEqualByComparingTo("1796631330.12");
    assertThat(json.get("logger").asText()).isEqualTo("dev.ironcore.boot.Example");
    assertThat(json.get("msg").asText()).isEqualTo("served \"quoted\"\nsecond line");
  }

  @ParameterizedTest
  @CsvSource({
      "millis, 1796631330120.000000",
      "nano, 1796631330120000000"})
  void numericTimeEncodingsAreNumbers(String encoding, String expected) throws Exception {
    JsonNode json = new ObjectMapper().readTree(encode(new ZapEncoder(true, Level.ERROR, encoding), event(Level.INFO, "x", null)));

    assertThat(json.get("ts").isNumber()).isTrue();
    assertThat(json.get("ts").decimalValue()).isEqualByComparingTo(expected);
  }

  @Test
  void textTimeEncodingsFollowGosLayouts() throws Exception {
    java.util.TimeZone saved = java.util.TimeZone.getDefault();
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
    try {
      Map<String, String> expected = Map.of("rfc3339", "2026-12-07T08:15:30Z", "rfc3339nano", "2026-12-07T08:15:30.12Z",
          "iso8601", "2026-12-07T08:15:30.120+0000");
      for (Map.Entry<String, String> encoding : expected.entrySet()) {
        JsonNode json = new ObjectMapper().readTree(
            encode(new ZapEncoder(true, Level.ERROR, encoding.getKey()), event(Level.INFO, "x", null)));
        assertThat(json.get("ts").asText()).as(encoding.getKey()).isEqualTo(encoding.getValue());
      }
    } finally {
      java.util.TimeZone.setDefault(saved);
    }
  }

  @Test
  void anExceptionKeepsItsStackTraceOnlyFromTheStacktraceLevelOn() throws Exception {
    ZapEncoder encoder = new ZapEncoder(true, Level.ERROR, "rfc3339");
    IllegalStateException failure = new IllegalStateException("broken");

    JsonNode warn = new ObjectMapper().readTree(encode(encoder, event(Level.WARN, "careful", failure)));
    JsonNode error = new ObjectMapper().readTree(encode(encoder, event(Level.ERROR, "failed", failure)));

    assertThat(warn.get("error").asText()).isEqualTo("java.lang.IllegalStateException: broken");
    assertThat(warn.has("stacktrace")).isFalse();
    assertThat(error.get("stacktrace").asText()).contains("ZapEncoderTest");
  }

  @Test
  void consoleIsTabSeparatedAsZapsDevelopmentEncoder() {
    String line = encode(new ZapEncoder(false, Level.WARN, "rfc3339"), event(Level.WARN, "careful", null));

    assertThat(line.split("\t")).hasSize(4);
    assertThat(line).contains("\tWARN\tdev.ironcore.boot.Example\tcareful\n");
  }

  @Test
  void theZapFlagsReplaceTheConsoleEncoderAndSetTheLevel() {
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    BatchingConsoleAppender console = (BatchingConsoleAppender) root.getAppender("STDOUT");
    Level level = root.getLevel();
    var original = console.getEncoder();
    try {
      LogOptions.fromFlags(Map.of("zap-encoder", "json", "zap-log-level", "error")).apply();

      assertThat(console.getEncoder()).isInstanceOf(ZapEncoder.class);
      assertThat(console.isStarted()).isTrue();
      assertThat(root.getLevel()).isEqualTo(Level.ERROR);
    } finally {
      console.stop();
      console.setEncoder(original);
      console.start();
      root.setLevel(level);
    }
  }

  @Test
  void withoutFormatFlagsLogbackXmlKeepsItsPattern() {
    assertThat(LogOptions.fromFlags(Map.of("zap-log-level", "debug")).zapFormat()).isFalse();
    assertThat(LogOptions.fromFlags(Map.of("zap-devel", "true")).zapFormat()).isTrue();
  }
}
