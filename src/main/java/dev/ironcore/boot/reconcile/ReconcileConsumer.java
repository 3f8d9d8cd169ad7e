package dev.ironcore.boot.reconcile;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Worker threads that, once the informer caches have synced, take keys from the controller's queue
 * and run the route once per key, while this replica leads (with leader election). Started and
 * stopped with the route; the queue outlives it, so no key is lost on a stop.
 */
public class ReconcileConsumer extends DefaultConsumer {
  private static final Duration POLL = Duration.ofMillis(200);

  private final Controller controller;
  private ExecutorService workers;
  private volatile boolean running;

  ReconcileConsumer(ReconcileEndpoint endpoint, Processor processor, Controller controller) {
    super(endpoint, processor);
    this.controller = controller;
  }

  @Override
  public ReconcileEndpoint getEndpoint() {
    return (ReconcileEndpoint) super.getEndpoint();
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    int count = getEndpoint().getWorkers();
    running = true;
    workers = getEndpoint().getCamelContext().getExecutorServiceManager()
        .newFixedThreadPool(this, "reconcile-" + controller.name(), count);
    for (int i = 0; i < count; i++) {
      workers.execute(this::work);
    }
  }

  @Override
  protected void doStop() throws Exception {
    running = false;
    if (workers != null) {
      // lets a reconcile in progress finish; the pollers notice within POLL
      getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(workers);
      workers = null;
    }
    controller.progress().stopped(); // after the workers, so that no late poll marks it consuming again
    super.doStop();
  }

  private void work() {
    try {
      while (running) {
        controller.progress().polled(System.nanoTime());
        if (!controller.mayReconcile()) {
          // a half-filled cache would show objects as deleted; and a replica that is not the leader must wait
          Thread.sleep(POLL.toMillis());
          continue;
        }
        String key = controller.queue().poll(POLL);
        if (key == null) {
          continue;
        }
        if (!controller.mayReconcile()) {
          // the Lease went while this worker waited for a key: leave the key for when this replica leads again
          controller.queue().add(key);
          controller.queue().done(key);
          continue;
        }
        controller.progress().started(key, System.nanoTime());
        reconcileOnce(key);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void reconcileOnce(String key) {
    Exchange exchange = createExchange(false);
    // stays set if an Error escapes the route, so that the key is still retried
    Throwable failure = new IllegalStateException("reconcile did not complete");
    try {
      exchange.getIn().setBody(key);
      getProcessor().process(exchange);
      failure = exchange.getException();
    } catch (Exception e) {
      failure = e;
    } finally {
      controller.completed(key, failure);
      controller.queue().done(key);
      releaseExchange(exchange, false);
    }
  }
}
