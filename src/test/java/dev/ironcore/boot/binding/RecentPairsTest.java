package dev.ironcore.boot.binding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** "Logged once" costs bounded memory: beyond its capacity the least recently seen pair is forgotten. */
class RecentPairsTest {
  @Test
  void aPairIsNewOnceAndAgainOnlyAfterBeingForgotten() {
    RecentPairs pairs = new RecentPairs(2);

    assertThat(pairs.firstTime("m1 10.0.0.1")).isTrue();
    assertThat(pairs.firstTime("m1 10.0.0.1")).isFalse();
    assertThat(pairs.firstTime("m2 10.0.0.2")).isTrue();
    assertThat(pairs.firstTime("m1 10.0.0.1")).isFalse(); // seen again: now the most recent
    assertThat(pairs.firstTime("m3 10.0.0.3")).isTrue(); // a third pair: m2, least recently seen, goes

    assertThat(pairs.firstTime("m1 10.0.0.1")).isFalse();
    assertThat(pairs.firstTime("m2 10.0.0.2")).isTrue();
  }
}
