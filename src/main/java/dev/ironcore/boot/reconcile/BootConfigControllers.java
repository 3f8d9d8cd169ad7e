package dev.ironcore.boot.reconcile;

import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.index.BootConfigIndex;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Collection;
import java.util.List;

/**
 * Defines the IPXEBootConfig and HTTPBootConfig status controllers: a config's own events and
 * those of the Secrets it references (found through the index's {@code bySecret}) enqueue it.
 */
public final class BootConfigControllers {
  public static final String IPXE = "ipxebootconfig";
  public static final String HTTP = "httpbootconfig";

  private final BootConfigIndex index;
  private final IgnitionSecretCheck ignition;
  private final StatusWriter statusWriter;

  public BootConfigControllers(BootConfigIndex index, IgnitionSecretCheck ignition, StatusWriter statusWriter) {
    this.index = index;
    this.ignition = ignition;
    this.statusWriter = statusWriter;
  }

  /** Defines the controller {@code name} for {@code kind} in {@code controllers}; returns its reconciler bean. */
  public <T extends CustomResource<?, BootConfigStatus>> BootConfigReconciler<T> define(
      Controllers controllers, String name, BootConfigKind<T> kind) {
    controllers.define(new ControllerDefinition(name, kind.type(),
        List.of(Trigger.self(kind.type()), Trigger.on(Secret.class, secret -> referencing(secret, kind)))));
    return new BootConfigReconciler<>(kind, index, ignition, statusWriter);
  }

  private Collection<String> referencing(Secret secret, BootConfigKind<?> kind) {
    return index.configsReferencingSecret(secret.getMetadata().getNamespace(), secret.getMetadata().getName())
        .stream()
        .filter(kind.type()::isInstance)
        .map(ObjectKeys::of)
        .toList();
  }
}
