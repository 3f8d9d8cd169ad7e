package dev.ironcore.boot.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/** Turns informer events into queue keys through a {@link Trigger}; never reconciles on the event thread. */
final class KeyEnqueuer<S extends HasMetadata> implements ResourceEventHandler<S> {
  private final Trigger<S> trigger;
  private final WorkQueue queue;

  KeyEnqueuer(Trigger<S> trigger, WorkQueue queue) {
    this.trigger = trigger;
    this.queue = queue;
  }

  @Override
  public void onAdd(S object) {
    enqueueFor(object);
  }

  @Override
  public void onUpdate(S before, S after) {
    // both: a reference that moved away must re-reconcile what it no longer points at
    enqueueFor(before);
    enqueueFor(after);
  }

  @Override
  public void onDelete(S object, boolean finalStateUnknown) {
    enqueueFor(object);
  }

  private void enqueueFor(S object) {
    trigger.keysToReconcile().apply(object).forEach(queue::add);
  }
}
