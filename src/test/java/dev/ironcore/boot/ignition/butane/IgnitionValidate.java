package dev.ironcore.boot.ignition.butane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code ignition-validate} (Ignition 2.14, spec 3.0.0 to 3.3.0) on a config, as
 * TESTING-NOTES §6 describes: JSON on stdin, findings on stdout, exit 0 when valid.
 */
final class IgnitionValidate {

  private IgnitionValidate() {}

  /** Asserts that ignition-validate accepts the config; configs for spec 3.4.0+ are not checked. */
  static void assertAccepted(String ignitionJson) {
    if (!isCheckable(ignitionJson)) {
      return;
    }
    try {
      Process process = new ProcessBuilder("ignition-validate", "-").redirectErrorStream(true).start();
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(ignitionJson.getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(output).as("ignition-validate output for %s", ignitionJson).doesNotContain("error at");
      assertThat(process.exitValue()).as("ignition-validate exit code, output: %s", output).isZero();
    } catch (IOException e) {
      throw new AssertionError("cannot run ignition-validate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static boolean isCheckable(String ignitionJson) {
    return ignitionJson.matches("(?s).*\"version\":\"3\\.[0-3]\\.0\".*");
  }
}
