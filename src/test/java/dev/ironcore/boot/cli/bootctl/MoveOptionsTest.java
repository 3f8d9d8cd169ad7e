package dev.ironcore.boot.cli.bootctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoveOptionsTest {

  @Test
  void acceptsBothValueFormsAndBareBooleans() throws UsageException {
    MoveOptions options = MoveOptions.parse(new String[] {"--source-kubeconfig=/s", "--target-kubeconfig", "/t",
        "--namespace", "boot", "--require-owners", "--dry-run", "--verbose"});

    assertThat(options).isEqualTo(new MoveOptions("/s", "/t", "boot", true, true, true));
  }

  @Test
  void booleansTakeGoSpellingsAfterAnEqualsSignAndTheLastOccurrenceWins() throws UsageException {
    MoveOptions options = MoveOptions.parse(new String[] {"--source-kubeconfig=/s", "--target-kubeconfig=/t",
        "--dry-run", "--dry-run=false", "--verbose=T", "--require-owners=0", "--namespace=a", "--namespace=b"});

    assertThat(options).isEqualTo(new MoveOptions("/s", "/t", "b", false, false, true));
  }

  @Test
  void aStringFlagTakesTheNextArgumentEvenWhenItLooksLikeAFlag() throws UsageException {
    MoveOptions options =
        MoveOptions.parse(new String[] {"--source-kubeconfig", "--odd-name", "--target-kubeconfig=/t"});

    assertThat(options.sourceKubeconfig()).isEqualTo("--odd-name");
  }

  @Test
  void namesEveryMissingRequiredFlag() {
    assertThatThrownBy(() -> MoveOptions.parse(new String[] {}))
        .isInstanceOf(UsageException.class)
        .hasMessage("required flag(s) \"source-kubeconfig\", \"target-kubeconfig\" not set");
    assertThatThrownBy(() -> MoveOptions.parse(new String[] {"--source-kubeconfig=/s", "--target-kubeconfig="}))
        .hasMessage("required flag(s) \"target-kubeconfig\" not set");
  }

  @Test
  void refusesWhatItDoesNotKnow() {
    assertThatThrownBy(() -> MoveOptions.parse(new String[] {"--bogus"})).hasMessage("unknown flag: --bogus");
    assertThatThrownBy(() -> MoveOptions.parse(new String[] {"-x"})).hasMessage("unknown shorthand flag: 'x' in -x");
    assertThatThrownBy(() -> MoveOptions.parse(new String[] {"--namespace"}))
        .hasMessage("flag needs an argument: --namespace");
    assertThatThrownBy(() -> MoveOptions.parse(new String[] {"--dry-run=yes"}))
        .hasMessage("invalid argument \"yes\" for \"--dry-run\" flag: want true or false");
    assertThatThrownBy(() -> MoveOptions.parse(new String[] {"--source-kubeconfig=/s", "--target-kubeconfig=/t",
        "--dry-run", "false"})).hasMessageContaining("unexpected argument \"false\"");
    assertThatThrownBy(() -> MoveOptions.parse(new String[] {"--source-kubeconfig=/s", "--", "extra"}))
        .hasMessageContaining("unexpected argument \"extra\"");
  }

  @Test
  void helpWinsAnywhereBeforeADoubleDash() {
    assertThat(MoveOptions.wantsHelp(new String[] {"--bogus", "--help"})).isTrue();
    assertThat(MoveOptions.wantsHelp(new String[] {"-h"})).isTrue();
    assertThat(MoveOptions.wantsHelp(new String[] {"--", "--help"})).isFalse();
    assertThat(MoveOptions.wantsHelp(new String[] {"--dry-run"})).isFalse();
  }
}
