package dev.ironcore.boot.ignition.butane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Error messages of the translator: one line of at most 300 characters, built in time linear in the
 * input, and a summary (what the service shows) that never holds a value of the input.
 */
class ButaneMessagesTest {
  private static final String SECRET = "hunter2-s3cr3t";
  private static final String HEAD = "variant: fcos\nversion: 1.5.0\n";
  private static final int MIB = 1024 * 1024;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final ButaneTranslator translator = new ButaneTranslator();

  @Test
  void aMebibyteOfAdversarialInputIsRejectedWithinAHundredMillisecondsWithAShortMessage() {
    // Measured before the fix: a 64 KiB run of blanks in a quoted mode took 8.2 s, growing with the
    // square of its length (a whitespace regex backtracking over the run); a 1 MiB token cost the YAML
    // reader about 300 ms more (its window copied per 1024 characters)
    for (Map.Entry<String, String> shape : adversarialShapes(MIB - 512).entrySet()) {
      for (int warmUp = 0; warmUp < 3; warmUp++) { // the JIT compiles the reader's loops for this shape
        rejected(shape.getValue());
      }
      Duration fastest = Duration.ofDays(1);
      ButaneException error = null;
      // the CPU time of this thread, best of three: other processes share the CPU and stretch wall time
      for (int attempt = 0; attempt < 3; attempt++) {
        long start = THREADS.getCurrentThreadCpuTime();
        error = rejected(shape.getValue());
        Duration took = Duration.ofNanos(THREADS.getCurrentThreadCpuTime() - start);
        fastest = took.compareTo(fastest) < 0 ? took : fastest;
      }

      assertThat(fastest).as(shape.getKey()).isLessThan(Duration.ofMillis(100));
      assertThat(error.getMessage().length()).as(shape.getKey()).isLessThanOrEqualTo(300);
      assertThat(error.summary().length()).as(shape.getKey()).isLessThanOrEqualTo(300);
      assertThat(error.getMessage()).as(shape.getKey()).doesNotContain("\n").doesNotContain("  ");
      assertThat(error.summary()).as(shape.getKey()).doesNotContain(SECRET);
    }
  }

  /** Inputs of about {@code size} bytes whose error message would quote a huge value. */
  private static Map<String, String> adversarialShapes(int size) {
    String blanks = " ".repeat(size);
    String lines = "\n".repeat(size);
    Map<String, String> shapes = new LinkedHashMap<>();
    shapes.put("blank run in a quoted int", HEAD + "storage:\n  files:\n    - path: /a\n      mode: \""
        + SECRET + blanks + "x\"\n");
    shapes.put("line breaks in a quoted bool", HEAD + "storage:\n  files:\n    - path: /a\n      overwrite: \""
        + SECRET + lines + "x\"\n");
    shapes.put("blank run in a plain int", HEAD + "passwd:\n  users:\n    - name: core\n      uid: "
        + SECRET + blanks + "x\n");
    shapes.put("blank run in an unterminated quote", HEAD + "passwd:\n  users:\n    - name: \"" + SECRET + blanks);
    shapes.put("blank run in a bad escape", HEAD + "passwd:\n  users:\n    - name: \"" + blanks + "\\q" + SECRET
        + "\"\n");
    String halfBlanks = " ".repeat(size / 2);
    shapes.put("blank run in a duplicate key", HEAD + "\"" + SECRET + halfBlanks + "\": 1\n\"" + SECRET
        + halfBlanks + "\": 2\n");
    shapes.put("blank run in an unknown anchor", HEAD + "storage: *" + SECRET + "x".repeat(size) + "\n");
    shapes.put("blank run in the variant", "variant: \"" + SECRET + blanks + "\"\nversion: 1.0.0\n");
    shapes.put("blank run in inline JSON", HEAD + "ignition:\n  config:\n    merge:\n      - inline: '{\""
        + SECRET + blanks + "'\n");
    return shapes;
  }

  @Test
  void theSummaryNamesFieldLineAndProblemButNoValue() {
    Map<String, String> summaries = Map.of(
        "storage:\n  files:\n    - path: /a\n      mode: \"" + SECRET + "\"\n",
        "Error at $.storage.files.0.mode, line 6 column 13: cannot unmarshal !!str into int",
        "passwd:\n  users:\n    - name: \"\\q" + SECRET + "\"\n",
        "Error unmarshaling yaml: found unknown escape character, line 5 column 15",
        "passwd:\n  " + SECRET + ": 1\n  " + SECRET + ": 2\n",
        "Error unmarshaling yaml: line 5 column 3: mapping key already defined at line 4",
        "storage: *" + SECRET + "\n",
        "Error unmarshaling yaml: unknown anchor referenced, line 3 column 10",
        "ignition:\n  config:\n    merge:\n      - inline: '{\"" + SECRET + "'\n",
        "Error at $.ignition.config.merge.0.inline, line 6 column 17: inline config is not valid JSON");
    summaries.forEach((body, summary) -> {
      ButaneException error = rejected(HEAD + body);
      assertThat(error.summary()).isEqualToIgnoringCase(summary);
      // the CLI's message keeps Go's wording and may quote the user's own file
      assertThat(error.getMessage()).startsWithIgnoringCase(summary.substring(0, 20));
    });
  }

  @Test
  void theDetailedMessageQuotesAValueCutShort() {
    ButaneException error = rejected(HEAD + "storage:\n  files:\n    - path: /a\n      mode: \"" + SECRET
        + "x".repeat(100) + "\"\n");

    assertThat(error.getMessage()).isEqualTo("error at $.storage.files.0.mode, line 6 column 13: cannot unmarshal"
        + " !!str `" + SECRET + "x".repeat(ButaneException.MAX_QUOTED - 3 - SECRET.length()) + "...` into int");
  }

  @Test
  void aYamlErrorNeverCarriesTheSnippetOfInputThatSnakeyamlAppends() {
    ButaneException error = rejected(HEAD + "passwd:\n  users:\n    - name: core\n\tpassword_hash: " + SECRET + "\n");

    assertThat(error.getMessage()).doesNotContain(SECRET).doesNotContain("^");
    assertThat(error.summary()).isEqualTo("Error unmarshaling yaml: found a character that cannot start any token,"
        + " line 6 column 1");
  }

  @Test
  void oneLineJoinsLineBreaksAndKeepsSingleBlanks() {
    assertThat(ButaneException.oneLine("a \n\t b  c\r\nd\u2028e ")).isEqualTo("a b  c d e");
    assertThat(ButaneException.oneLine(" ".repeat(MIB) + "x")).isEqualTo("x");
  }

  private ButaneException rejected(String yaml) {
    return catchThrowableOfType(ButaneException.class,
        () -> translator.translate(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
