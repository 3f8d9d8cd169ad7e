package dev.ironcore.boot.cli.bootctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BootctlCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return BootctlCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void moveHelpListsEveryFlagAndExits0() {
    assertThat(run("move", "--help")).isZero();
    assertThat(stdout()).contains("--source-kubeconfig", "--target-kubeconfig", "--namespace", "--require-owners",
        "--dry-run", "--verbose", "--help");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void bootctlHelpListsMove() {
    assertThat(run("--help")).isZero();
    assertThat(stdout()).contains("move");
  }

  @Test
  void missingRequiredFlagsExit2NamingThem() {
    assertThat(run("move", "--dry-run")).isEqualTo(2);
    assertThat(stderr()).contains("required flag(s) \"source-kubeconfig\", \"target-kubeconfig\" not set")
        .contains("Usage:");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void anUnknownFlagExits2NamingIt() {
    assertThat(run("move", "--source-kubeconfig=a", "--target-kubeconfig=b", "--force")).isEqualTo(2);
    assertThat(stderr()).contains("unknown flag: --force");
  }

  @Test
  void aFlagWithoutItsValueExits2() {
    assertThat(run("move", "--target-kubeconfig=b", "--source-kubeconfig")).isEqualTo(2);
    assertThat(stderr()).contains("flag needs an argument: --source-kubeconfig");
  }

  @Test
  void aBooleanWithAValueItCannotReadExits2() {
    assertThat(run("move", "--source-kubeconfig=a", "--target-kubeconfig=b", "--require-owners=maybe")).isEqualTo(2);
    assertThat(stderr()).contains("invalid argument \"maybe\" for \"--require-owners\" flag");
  }

  @Test
  void anUnknownOrMissingCommandExits2() {
    assertThat(run("copy")).isEqualTo(2);
    assertThat(stderr()).contains("unknown command \"copy\"");
    assertThat(run()).isEqualTo(2);
    assertThat(stderr()).contains("missing command");
  }
}
