package dev.ironcore.boot.oci;

import java.util.List;
import java.util.Optional;

/**
 * Which manifest of an image index boots a machine of an architecture (COMPAT §10): for PXE first
 * the entry annotated {@code cname} = {@code metal_pxe…} with a matching {@code architecture}
 * annotation (Garden Linux publishes several flavours per architecture), else the first entry
 * whose {@code platform.architecture} matches.
 */
public final class IndexSelection {
  private IndexSelection() {}

  public static Descriptor select(List<Descriptor> entries, String architecture, BootMethod method) {
    Optional<Descriptor> byCname = method == BootMethod.PXE
        ? entries.stream().filter(e -> e.annotation("cname").orElse("").startsWith("metal_pxe")
            && e.annotation("architecture").orElse("").equals(architecture)).findFirst()
        : Optional.empty();
    return byCname
        .or(() -> entries.stream().filter(e -> e.platformArchitecture().orElse("").equals(architecture)).findFirst())
        .orElseThrow(() -> new RegistryException(RegistryException.Kind.NOT_FOUND,
            "failed to find target manifest with architecture " + architecture));
  }
}
