package dev.ironcore.boot.reconcile;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** The endpoint of one controller's queue; it can only be consumed from. */
public class ReconcileEndpoint extends DefaultEndpoint {
  private final Controller controller;
  /** Reconciles that may run at once, each on a different key. */
  private int workers = 1;

  ReconcileEndpoint(String uri, ReconcileComponent component, Controller controller) {
    super(uri, component);
    this.controller = controller;
  }

  @Override
  public Producer createProducer() {
    throw new UnsupportedOperationException("reconcile: endpoints are fed by informers, not by producers");
  }

  @Override
  public Consumer createConsumer(Processor processor) throws Exception {
    ReconcileConsumer consumer = new ReconcileConsumer(this, processor, controller);
    configureConsumer(consumer);
    return consumer;
  }

  public int getWorkers() {
    return workers;
  }

  public void setWorkers(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, was " + workers);
    }
    this.workers = workers;
  }
}
