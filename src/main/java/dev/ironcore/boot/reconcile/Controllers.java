package dev.ironcore.boot.reconcile;

import dev.ironcore.boot.config.ReconcileTiming;
import dev.ironcore.boot.index.BootConfigIndex;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers of this process (Strimzi's Controller half): each defined one has a queue; a
 * started one has its triggers registered on the index's informers and is re-enqueued in full
 * every resync period. The reconcile half is the {@code reconcile:<name>} Camel consumer.
 */
public final class Controllers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Controllers.class);

  private final BootConfigIndex index;
  private final ReconcileTiming timing;
  private final MeterRegistry metrics;
  private final Map<String, Controller> defined = new ConcurrentHashMap<>();
  private volatile BooleanSupplier leading = () -> true;
  private final List<Controller> started = new ArrayList<>();
  private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "reconcile-resync");
    thread.setDaemon(true);
    return thread;
  });

  public Controllers(BootConfigIndex index, ReconcileTiming timing, MeterRegistry metrics) {
    this.index = index;
    this.timing = timing;
    this.metrics = metrics;
  }

  /** With leader election: reconcile only while {@code leading} says this replica is the leader. */
  public void reconcileOnlyWhile(BooleanSupplier leading) {
    this.leading = leading;
  }

  /** Defines a controller; it does nothing until {@link #start}ed. */
  public Controller define(ControllerDefinition definition) {
    Controller controller = new Controller(definition,
        new WorkQueue(definition.name(), Backoff.of(timing)), () -> index.hasSynced() && leading.getAsBoolean(),
        metrics);
    if (defined.putIfAbsent(definition.name(), controller) != null) {
      throw new IllegalArgumentException("controller " + definition.name() + " defined twice");
    }
    return controller;
  }

  /** The defined controller of that name (the reconcile component asks for it by endpoint path). */
  public Controller get(String name) {
    Controller controller = defined.get(name);
    if (controller == null) {
      throw new IllegalArgumentException("no controller " + name + "; defined: " + defined.keySet());
    }
    return controller;
  }

  /** Names of the defined controllers. */
  public Set<String> names() {
    return Set.copyOf(defined.keySet());
  }

  /** The started controllers whose consumer is stalled longer than the stall timeout, with why (liveness). */
  public synchronized Map<String, String> stalled() {
    Map<String, String> stalled = new TreeMap<>();
    for (Controller controller : started) {
      controller.stalled(timing.stallTimeout()).ifPresent(why -> stalled.put(controller.name(), why));
    }
    return stalled;
  }

  /** Registers the controller's triggers and includes it in the periodic resync. */
  public synchronized void start(String name) {
    Controller controller = get(name);
    controller.definition().triggers().forEach(trigger -> register(trigger, controller.queue()));
    if (started.isEmpty()) {
      long period = timing.resyncPeriod().toMillis();
      resync.scheduleAtFixedRate(this::resyncAll, period, period, TimeUnit.MILLISECONDS);
    }
    started.add(controller);
    LOG.info("Controller {} started for {}", name, HasMetadata.getKind(controller.definition().kind()));
  }

  private <S extends HasMetadata> void register(Trigger<S> trigger, WorkQueue queue) {
    index.addEventHandler(trigger.kind(), new KeyEnqueuer<>(trigger, queue));
  }

  private synchronized void resyncAll() {
    try {
      for (Controller controller : started) {
        index.cachedKeys(controller.definition().kind()).forEach(controller.queue()::add);
      }
    } catch (RuntimeException e) {
      // an escaping exception would cancel every later resync
      LOG.warn("Periodic resync failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    resync.shutdownNow();
    defined.values().forEach(controller -> controller.queue().close());
  }
}
