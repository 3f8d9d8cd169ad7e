package dev.ironcore.boot.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.config.ReconcileTiming;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = Backoff.of(ReconcileTiming.DEFAULT);

  @Test
  void startsAtTwoSecondsAndGrowsByHalf() {
    assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(3));
    assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofMillis(4500));
  }

  @Test
  void neverExceedsTheCapHoweverManyFailures() {
    assertThat(backoff.delayAfter(13)).isLessThan(Duration.ofMinutes(5));
    assertThat(backoff.delayAfter(14)).isEqualTo(Duration.ofMinutes(5));
    assertThat(backoff.delayAfter(10_000)).isEqualTo(Duration.ofMinutes(5));
  }
}
