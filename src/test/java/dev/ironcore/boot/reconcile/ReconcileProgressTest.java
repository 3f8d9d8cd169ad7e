package dev.ironcore.boot.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReconcileProgressTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long TIMEOUT = 60 * SECOND;

  @Test
  void aReplicaThatDoesNotConsumeIsNeverStalledHoweverManyKeysWait() {
    ReconcileProgress progress = new ReconcileProgress();

    assertThat(progress.stall(1000 * SECOND, TIMEOUT, 50)).isEmpty();
  }

  @Test
  void waitingKeysWithoutAPollForLongerThanTheTimeoutAreAStall() {
    ReconcileProgress progress = new ReconcileProgress();
    progress.polled(0);

    assertThat(progress.stall(30 * SECOND, TIMEOUT, 3)).isEmpty();
    assertThat(progress.stall(61 * SECOND, TIMEOUT, 0)).isEmpty();
    assertThat(progress.stall(61 * SECOND, TIMEOUT, 3)).contains("3 keys waiting, no worker polled for 61 s");
  }

  @Test
  void aReconcileRunningLongerThanTheTimeoutIsAStallUntilItFinishes() {
    ReconcileProgress progress = new ReconcileProgress();
    progress.polled(0);
    progress.started("default/node-1", 0);

    assertThat(progress.stall(61 * SECOND, TIMEOUT, 0)).contains("reconcile of default/node-1 running for 61 s");
    progress.finished("default/node-1");
    progress.polled(61 * SECOND);
    assertThat(progress.stall(62 * SECOND, TIMEOUT, 0)).isEmpty();
  }

  @Test
  void aStoppedConsumerIsNotStalled() {
    ReconcileProgress progress = new ReconcileProgress();
    progress.polled(0);
    progress.stopped();

    assertThat(progress.stall(100 * SECOND, TIMEOUT, 5)).isEmpty();
  }
}
