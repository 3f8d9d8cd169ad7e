package dev.ironcore.boot.config;

import java.time.Duration;

/**
 * How often the controllers look again: the retry backoff after a failed reconcile (first delay,
 * growth factor, cap) and the period after which every object is reconciled anyway.
 */
public record ReconcileTiming(Duration retryInitial, double retryFactor, Duration retryMax, Duration resyncPeriod) {
  /** The JOSDK-like defaults: 2 s × 1.5 capped at 5 min; everything again every 10 min. */
  public static final ReconcileTiming DEFAULT =
      new ReconcileTiming(Duration.ofSeconds(2), 1.5, Duration.ofMinutes(5), Duration.ofMinutes(10));

  public ReconcileTiming {
    if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException("retry delays must be positive and the cap at least the first delay");
    }
    if (retryFactor < 1.0) {
      throw new IllegalArgumentException("retry factor must be at least 1, was " + retryFactor);
    }
    if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
      throw new IllegalArgumentException("resync period must be positive");
    }
  }
}
