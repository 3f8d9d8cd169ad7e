package dev.ironcore.boot.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * What a controller is: its name (as in {@code boot.controllers} and the route {@code reconcile:<name>}),
 * the kind it reconciles and the events that enqueue keys of that kind.
 */
public record ControllerDefinition(String name, Class<? extends HasMetadata> kind, List<Trigger<?>> triggers) {
  public ControllerDefinition {
    triggers = List.copyOf(triggers);
  }
}
