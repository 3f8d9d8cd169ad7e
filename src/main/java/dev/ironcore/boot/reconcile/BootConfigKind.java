package dev.ironcore.boot.reconcile;

import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Function;

/** What the boot-config status controller needs to know of one of the two boot kinds. */
public record BootConfigKind<T extends CustomResource<?, BootConfigStatus>>(
    Class<T> type, Function<T, LocalObjectReference> ignitionSecretRef) {
  public static final BootConfigKind<IPXEBootConfig> IPXE =
      new BootConfigKind<>(IPXEBootConfig.class, config -> config.getSpec().getIgnitionSecretRef());
  public static final BootConfigKind<HTTPBootConfig> HTTP =
      new BootConfigKind<>(HTTPBootConfig.class, config -> config.getSpec().getIgnitionSecretRef());
}
