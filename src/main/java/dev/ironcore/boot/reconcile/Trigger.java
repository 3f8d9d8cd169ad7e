package dev.ironcore.boot.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Which keys of a controller's kind an event on {@code kind} enqueues: the object's own key for the
 * reconciled kind, index lookups for the objects that reference it (JOSDK's SecondaryToPrimaryMapper).
 */
public record Trigger<S extends HasMetadata>(Class<S> kind, Function<S, Collection<String>> keysToReconcile) {
  /** Events on the reconciled kind itself enqueue the object's own key. */
  public static <S extends HasMetadata> Trigger<S> self(Class<S> kind) {
    return new Trigger<>(kind, object -> List.of(ObjectKeys.of(object)));
  }

  /** Events on {@code kind} enqueue the keys {@code mapper} finds for the object. */
  public static <S extends HasMetadata> Trigger<S> on(Class<S> kind, Function<S, Collection<String>> mapper) {
    return new Trigger<>(kind, mapper);
  }
}
