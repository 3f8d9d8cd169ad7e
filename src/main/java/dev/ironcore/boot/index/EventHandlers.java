package dev.ironcore.boot.index;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** Informer handlers for listeners that care only whether an object is there now, or gone. */
public final class EventHandlers {
  private EventHandlers() {}

  /** Added and updated objects (the new state) to {@code addedOrUpdated}, deleted ones to {@code deleted}. */
  public static <T> ResourceEventHandler<T> of(Consumer<? super T> addedOrUpdated, Consumer<? super T> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        addedOrUpdated.accept(object);
      }

      @Override
      public void onUpdate(T before, T object) {
        addedOrUpdated.accept(object);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        deleted.accept(object);
      }
    };
  }
}
