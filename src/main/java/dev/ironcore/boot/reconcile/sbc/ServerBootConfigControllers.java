package dev.ironcore.boot.reconcile.sbc;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.reconcile.ControllerDefinition;
import dev.ironcore.boot.reconcile.Controllers;
import dev.ironcore.boot.reconcile.ObjectKeys;
import dev.ironcore.boot.reconcile.StatusWriter;
import dev.ironcore.boot.reconcile.Trigger;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Defines the one ServerBootConfiguration controller. Go has two (serverbootconfigpxe and
 * serverbootconfighttp) that both write the SBC's state; here those switches only pick the boot
 * methods, and one reconcile decides the state (COMPAT §9, OURS). An SBC is enqueued by its own
 * events, its Server's, its Ignition Secret's and its children's.
 */
public final class ServerBootConfigControllers {
  public static final String NAME = "serverbootconfig";
  public static final String PXE_SWITCH = "serverbootconfigpxe";
  public static final String HTTP_SWITCH = "serverbootconfighttp";
  static final String BY_SERVER = "byServer";
  static final String BY_IGNITION_SECRET = "byIgnitionSecret";

  private final BootConfigIndex index;

  public ServerBootConfigControllers(BootConfigIndex index) {
    this.index = index;
  }

  /** The boot methods the {@code boot.controllers} switches enable. */
  public static Set<BootMethod> enabledMethods(Set<String> switches) {
    Set<BootMethod> methods = EnumSet.noneOf(BootMethod.class);
    if (switches.contains(PXE_SWITCH)) {
      methods.add(BootMethod.PXE);
    }
    if (switches.contains(HTTP_SWITCH)) {
      methods.add(BootMethod.HTTP);
    }
    return methods;
  }

  /** Adds the indexes and defines the controller; returns its reconciler, the bean of its route. */
  public ServerBootConfigReconciler define(Controllers controllers, BootImages images,
      ServerBootConfigReconciler.ChildWork children, StatusWriter statusWriter) {
    index.addIndex(ServerBootConfiguration.class, BY_SERVER, ServerBootConfigControllers::serverName);
    index.addIndex(ServerBootConfiguration.class, BY_IGNITION_SECRET, ServerBootConfigControllers::secretKey);
    controllers.define(new ControllerDefinition(NAME, ServerBootConfiguration.class, List.of(
        Trigger.self(ServerBootConfiguration.class),
        Trigger.on(Server.class, server -> keys(BY_SERVER, server.getMetadata().getName())),
        Trigger.on(Secret.class, secret -> keys(BY_IGNITION_SECRET, ObjectKeys.of(secret))),
        Trigger.on(IPXEBootConfig.class, ServerBootConfigControllers::owner),
        Trigger.on(HTTPBootConfig.class, ServerBootConfigControllers::owner))));
    return new ServerBootConfigReconciler(index, images, children, statusWriter);
  }

  private Collection<String> keys(String indexName, String key) {
    return index.byIndex(ServerBootConfiguration.class, indexName, key).stream().map(ObjectKeys::of).toList();
  }

  static List<String> serverName(ServerBootConfiguration sbc) {
    var ref = sbc.getSpec().getServerRef();
    return ref == null || ref.getName() == null ? List.of() : List.of(ref.getName());
  }

  static List<String> secretKey(ServerBootConfiguration sbc) {
    var ref = sbc.getSpec().getIgnitionSecretRef();
    return ref == null || ref.getName() == null
        ? List.of() : List.of(ObjectKeys.of(sbc.getMetadata().getNamespace(), ref.getName()));
  }

  /** The SBC that controls a boot config, if one does (JOSDK's Owns()). */
  static List<String> owner(HasMetadata config) {
    return config.getMetadata().getOwnerReferences().stream()
        .filter(ref -> Boolean.TRUE.equals(ref.getController())
            && HasMetadata.getKind(ServerBootConfiguration.class).equals(ref.getKind()))
        .map(ref -> ObjectKeys.of(config.getMetadata().getNamespace(), ref.getName()))
        .toList();
  }
}
