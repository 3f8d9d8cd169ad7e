package dev.ironcore.boot.index;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;
import java.util.stream.Stream;

/** The Secrets a boot config names (Ignition, and for iPXE a custom script). */
public final class SecretRefs {
  private SecretRefs() {}

  public static List<LocalObjectReference> of(HasMetadata config) {
    Stream<LocalObjectReference> refs;
    if (config instanceof IPXEBootConfig ipxe) {
      refs = Stream.of(ipxe.getSpec().getIgnitionSecretRef(), ipxe.getSpec().getIpxeScriptSecretRef());
    } else if (config instanceof HTTPBootConfig http) {
      refs = Stream.of(http.getSpec().getIgnitionSecretRef());
    } else {
      refs = Stream.empty();
    }
    return refs.filter(ref -> ref != null && ref.getName() != null && !ref.getName().isEmpty()).toList();
  }
}
