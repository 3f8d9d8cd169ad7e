package dev.ironcore.boot.reconcile;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a controller's consumer makes progress, for liveness: stalled when a reconcile has run
 * longer than the timeout, or keys wait while no worker has polled for that long. A stopped consumer
 * is never stalled, nor is a replica that is not the leader (its workers poll without taking keys).
 * Times are {@code System.nanoTime()} values.
 */
final class ReconcileProgress {
  private static final long NOT_CONSUMING = Long.MIN_VALUE;

  private volatile long lastPoll = NOT_CONSUMING;
  private final Map<String, Long> running = new ConcurrentHashMap<>();

  void polled(long now) {
    lastPoll = now;
  }

  void stopped() {
    lastPoll = NOT_CONSUMING;
  }

  void started(String key, long now) {
    running.put(key, now);
  }

  void finished(String key) {
    running.remove(key);
  }

  /** Why the consumer is stalled at {@code now}, or empty when it is not. */
  Optional<String> stall(long now, long timeoutNanos, int waitingKeys) {
    if (lastPoll == NOT_CONSUMING) {
      return Optional.empty();
    }
    Optional<String> stuck = running.entrySet().stream()
        .filter(entry -> now - entry.getValue() > timeoutNanos)
        .map(entry -> "reconcile of " + entry.getKey() + " running for " + seconds(now - entry.getValue()) + " s")
        .findFirst();
    if (stuck.isPresent() || waitingKeys == 0 || now - lastPoll <= timeoutNanos) {
      return stuck;
    }
    return Optional.of(waitingKeys + " keys waiting, no worker polled for " + seconds(now - lastPoll) + " s");
  }

  private static long seconds(long nanos) {
    return nanos / 1_000_000_000L;
  }
}
