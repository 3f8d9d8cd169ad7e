package dev.ironcore.boot.reconcile;

import dev.ironcore.boot.config.ReconcileTiming;
import java.time.Duration;

/** Capped exponential backoff: the delay before retry number {@code n} (1-based) after failures. */
public record Backoff(Duration initial, double factor, Duration max) {
  public static Backoff of(ReconcileTiming timing) {
    return new Backoff(timing.retryInitial(), timing.retryFactor(), timing.retryMax());
  }

  /** {@code initial × factor^(failures-1)}, never above {@code max}. */
  public Duration delayAfter(int failures) {
    double millis = initial.toMillis() * Math.pow(factor, Math.max(0, failures - 1));
    return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
  }
}
