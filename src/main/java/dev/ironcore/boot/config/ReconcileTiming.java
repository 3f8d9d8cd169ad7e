package dev.ironcore.boot.config;

import java.time.Duration;

/**
 * How often the controllers look again: the retry backoff after a failed reconcile (first delay,
 * growth factor, cap) and the period after which every object is reconciled anyway; and how long a
 * controller may have work without finishing a reconcile before liveness fails.
 */
public record ReconcileTiming(Duration retryInitial, double retryFactor, Duration retryMax, Duration resyncPeriod,
    Duration stallTimeout) {
  /** The JOSDK-like defaults: 2 s × 1.5 capped at 5 min; everything again every 10 min; stalled after 5 min. */
  public static final ReconcileTiming DEFAULT = new ReconcileTiming(Duration.ofSeconds(2), 1.5,
      Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(5));

  /** With the default stall timeout. */
  public ReconcileTiming(Duration retryInitial, double retryFactor, Duration retryMax, Duration resyncPeriod) {
    this(retryInitial, retryFactor, retryMax, resyncPeriod, Duration.ofMinutes(5));
  }

  public ReconcileTiming {
    if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException("retry delays must be positive and the cap at least the first delay");
    }
    if (retryFactor < 1.0) {
      throw new IllegalArgumentException("retry factor must be at least 1, was " + retryFactor);
    }
    if (resyncPeriod.isNegative() || resyncPeriod.isZero() || stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("resync period and stall timeout must be positive");
    }
  }
}
