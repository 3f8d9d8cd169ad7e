package dev.ironcore.boot.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A defined controller at run time: its queue, whether its cache is ready, and what happens after a
 * reconcile (success forgets past failures; a failure is retried after the backoff).
 */
public final class Controller {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  private final ControllerDefinition definition;
  private final WorkQueue queue;
  private final BooleanSupplier mayReconcile;
  private final Counter succeeded;
  private final Counter failed;
  private final ReconcileProgress progress = new ReconcileProgress();

  Controller(ControllerDefinition definition, WorkQueue queue, BooleanSupplier mayReconcile, MeterRegistry metrics) {
    this.definition = definition;
    this.queue = queue;
    this.mayReconcile = mayReconcile;
    String name = definition.name();
    Gauge.builder("boot_reconcile_queue_depth", queue, WorkQueue::depth).tag("controller", name).register(metrics);
    this.succeeded = metrics.counter("boot_reconciles_total", "controller", name, "result", "success");
    this.failed = metrics.counter("boot_reconciles_total", "controller", name, "result", "failure");
  }

  public String name() {
    return definition.name();
  }

  public ControllerDefinition definition() {
    return definition;
  }

  WorkQueue queue() {
    return queue;
  }

  /** True once the informer caches the reconciles read from have listed everything, and while this replica leads. */
  boolean mayReconcile() {
    return mayReconcile.getAsBoolean();
  }

  /** Why this controller's consumer is stalled (liveness), or empty. */
  public Optional<String> stalled(Duration timeout) {
    return progress.stall(System.nanoTime(), timeout.toNanos(), queue.depth());
  }

  ReconcileProgress progress() {
    return progress;
  }

  /** Records the outcome of one reconcile of {@code key}: a failure schedules a retry. */
  void completed(String key, Throwable failure) {
    progress.finished(key);
    String object = ObjectKeys.describe(definition.kind(), key);
    if (failure == null) {
      queue.forget(key);
      succeeded.increment();
      LOG.debug("{}: reconciled", object);
      return;
    }
    Duration delay = queue.retryLater(key);
    failed.increment();
    LOG.warn("{}: reconcile failed, retrying in {} ms: {}", object, delay.toMillis(), failure.getMessage());
  }
}
