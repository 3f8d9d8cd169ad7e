package dev.ironcore.boot.delivery;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.reconcile.JsonPatchStatusWriter;
import dev.ironcore.boot.reconcile.StatusWriter;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the delivery conditions (COMPAT §7) off the request thread: a request only hands over the
 * cached config; one background writer patches the status, and only when the condition is not
 * already there (a JSON patch carrying the resourceVersion, as the controllers write status).
 * Repeated deliveries of one config coalesce into one pending write; when the backlog is full a
 * delivery is dropped (and counted), never the request delayed.
 */
public class DeliveryConditions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryConditions.class);
  private static final int MAX_PENDING = 10_000;
  private static final int MAX_CONFLICT_RETRIES = 5;

  private final KubernetesClient client;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final StatusWriter statusWriter;
  private final Map<String, Delivery> pending = new ConcurrentHashMap<>();
  private final Map<String, Counter> deliveryCounters = new ConcurrentHashMap<>();
  private final ExecutorService writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "delivery-conditions");
        thread.setDaemon(true);
        return thread;
      });

  public DeliveryConditions(KubernetesClient client, MeterRegistry metrics, Clock clock) {
    this.client = client;
    this.statusWriter = new JsonPatchStatusWriter(client);
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Called after an answer was sent; returns at once. */
  public void record(Delivery delivery) {
    Condition condition = delivery.condition();
    // looked up once per condition type and status: this runs after every boot request
    deliveryCounters.computeIfAbsent(condition.getType() + "/" + condition.getStatus(), key -> metrics.counter(
        "boot_deliveries_total", "condition", condition.getType(), "status", condition.getStatus())).increment();
    if (Conditions.holds(conditionsOf(delivery.config()), delivery.condition())) {
      return;
    }
    if (pending.size() >= MAX_PENDING) {
      metrics.counter("boot_delivery_condition_writes_dropped_total").increment();
      return;
    }
    if (pending.putIfAbsent(delivery.key(), delivery) == null) {
      writer.execute(() -> write(pending.remove(delivery.key())));
    }
  }

  private void write(Delivery delivery) {
    for (int attempt = 1; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
      try {
        patchIfChanged(delivery);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          LOG.warn("{}: could not set condition {}: {}", describe(delivery), delivery.condition().getType(), e.getMessage());
          metrics.counter("boot_delivery_condition_writes_failed_total").increment();
          return;
        }
      }
    }
    LOG.warn("{}: condition {} not set after {} conflicting writes", describe(delivery), delivery.condition().getType(),
        MAX_CONFLICT_RETRIES);
  }

  @SuppressWarnings("unchecked")
  private void patchIfChanged(Delivery delivery) {
    HasMetadata config = delivery.config();
    HasMetadata latest = client.resources(config.getClass())
        .inNamespace(config.getMetadata().getNamespace())
        .withName(config.getMetadata().getName())
        .get();
    if (!(latest instanceof CustomResource<?, ?> resource)
        || Conditions.holds(conditionsOf(latest), delivery.condition())) {
      return;
    }
    BootConfigStatus status = new BootConfigStatus();
    if (resource.getStatus() instanceof BootConfigStatus current) {
      status.setState(current.getState());
    }
    status.setConditions(Conditions.with(conditionsOf(latest), delivery.condition(), clock.instant()));
    statusWriter.write((CustomResource<?, BootConfigStatus>) resource, status);
    metrics.counter("boot_delivery_condition_writes_total", "condition", delivery.condition().getType()).increment();
  }

  private static List<Condition> conditionsOf(HasMetadata config) {
    if (config instanceof CustomResource<?, ?> resource && resource.getStatus() instanceof BootConfigStatus status) {
      return status.getConditions();
    }
    return List.of();
  }

  private static String describe(Delivery delivery) {
    HasMetadata config = delivery.config();
    return config.getKind() + "(" + config.getMetadata().getNamespace() + "/" + config.getMetadata().getName() + ")";
  }

  /** Waits briefly for pending writes, then stops the writer. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
