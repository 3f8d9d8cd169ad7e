package dev.ironcore.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ButaneCommandTest {

  private static final String VALID = "variant: fcos\nversion: 1.4.0\n";
  private static final String EXPECTED = "{\"ignition\":{\"version\":\"3.3.0\"}}";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    return ButaneCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void reads_stdin_when_no_file_is_given() {
    assertThat(run(VALID)).isZero();
    assertThat(stdout().strip()).isEqualTo(EXPECTED);
    assertThat(stderr()).isEmpty();
  }

  @Test
  void reads_stdin_for_a_dash() {
    assertThat(run(VALID, "-")).isZero();
    assertThat(stdout().strip()).isEqualTo(EXPECTED);
  }

  @Test
  void reads_a_file_argument(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("node.bu"), VALID);
    assertThat(run("", file.toString())).isZero();
    assertThat(stdout().strip()).isEqualTo(EXPECTED);
  }

  @Test
  void a_missing_file_is_an_error_on_stderr(@TempDir Path dir) {
    assertThat(run("", dir.resolve("absent.bu").toString())).isEqualTo(1);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("cannot read").contains("absent.bu");
  }

  @Test
  void a_translation_error_exits_1_with_the_message_on_stderr() {
    assertThat(run("variant: fcos\nversion: 9.9.9\n")).isEqualTo(1);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("No translator exists for variant fcos with version 9.9.9");
  }

  @Test
  void warnings_go_to_stderr_and_do_not_fail_without_strict() {
    assertThat(run(VALID + "bogus: 1\n")).isZero();
    assertThat(stdout().strip()).isEqualTo(EXPECTED);
    assertThat(stderr()).contains("Unused key bogus");
  }

  @Test
  void strict_turns_warnings_into_failure() {
    assertThat(run(VALID + "bogus: 1\n", "--strict")).isEqualTo(1);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("Unused key bogus").contains("--strict");
  }

  @Test
  void strict_passes_a_config_without_warnings() {
    assertThat(run(VALID, "--strict", "-")).isZero();
    assertThat(stdout().strip()).isEqualTo(EXPECTED);
  }

  @Test
  void help_prints_usage_and_exits_0() {
    assertThat(run("", "--help")).isZero();
    assertThat(stdout()).contains("Usage: boot-operator butane");
  }

  @Test
  void an_unknown_option_is_a_usage_error() {
    assertThat(run(VALID, "--pretty")).isEqualTo(2);
    assertThat(stderr()).contains("unexpected argument --pretty").contains("Usage:");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void two_files_are_a_usage_error() {
    assertThat(run(VALID, "a.bu", "b.bu")).isEqualTo(2);
  }
}
