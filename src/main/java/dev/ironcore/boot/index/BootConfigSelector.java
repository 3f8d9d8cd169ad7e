package dev.ironcore.boot.index;

import dev.ironcore.boot.api.metal.MetalGroup;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the one boot config to serve when several match a machine (COMPAT §6). Each config's owner
 * is a ServerBootConfiguration; the Server is found through the first owner that resolves. Configs
 * whose owner the Server does not refer to (bootConfigurationRef / maintenanceBootConfigurationRef)
 * are orphans and dropped; of the rest, the maintenance one wins while the Server is in maintenance,
 * the workload one otherwise. Candidates are ordered by namespace/name first, so every replica picks
 * the same config.
 */
public final class BootConfigSelector {
  private static final String SBC_KIND = "ServerBootConfiguration";
  private static final Comparator<HasMetadata> BY_KEY = Comparator
      .comparing((HasMetadata c) -> c.getMetadata().getNamespace(), Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(c -> c.getMetadata().getName());

  private BootConfigSelector() {}

  public static <T extends HasMetadata> T select(List<T> matches, OwnerLookup lookup) {
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("no configs to choose from");
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    List<T> candidates = matches.stream().sorted(BY_KEY).toList();
    Server server = candidates.stream()
        .flatMap(config -> ownerSbcNames(config).stream().map(name -> owningServer(config, name, lookup)))
        .flatMap(Optional::stream)
        .findFirst()
        .orElseThrow(() -> new AmbiguousBootConfigException(
            candidates.size() + " boot configs match and none has a ServerBootConfiguration owner with a Server"));
    ObjectReference preferred = inMaintenance(server)
        ? server.getSpec().getMaintenanceBootConfigurationRef()
        : server.getSpec().getBootConfigurationRef();
    ObjectReference other = inMaintenance(server)
        ? server.getSpec().getBootConfigurationRef()
        : server.getSpec().getMaintenanceBootConfigurationRef();
    return ownedBy(candidates, preferred)
        .or(() -> ownedBy(candidates, other))
        .orElseThrow(() -> new AmbiguousBootConfigException("all " + candidates.size()
            + " matching boot configs are orphans: none is owned by a boot configuration of Server "
            + server.getMetadata().getName()));
  }

  private static boolean inMaintenance(Server server) {
    return server.getStatus() != null && Server.STATE_MAINTENANCE.equals(server.getStatus().getState());
  }

  private static <T extends HasMetadata> Optional<T> ownedBy(List<T> candidates, ObjectReference sbcRef) {
    if (sbcRef == null || sbcRef.getName() == null) {
      return Optional.empty();
    }
    return candidates.stream()
        .filter(config -> namespaceMatches(sbcRef, config) && ownerSbcNames(config).contains(sbcRef.getName()))
        .findFirst();
  }

  private static boolean namespaceMatches(ObjectReference sbcRef, HasMetadata config) {
    return sbcRef.getNamespace() == null
        || sbcRef.getNamespace().isEmpty()
        || Objects.equals(sbcRef.getNamespace(), config.getMetadata().getNamespace());
  }

  private static Optional<Server> owningServer(HasMetadata config, String sbcName, OwnerLookup lookup) {
    return lookup.serverBootConfiguration(config.getMetadata().getNamespace(), sbcName)
        .map(ServerBootConfiguration::getSpec)
        .filter(spec -> spec.getServerRef() != null && spec.getServerRef().getName() != null)
        .flatMap(spec -> lookup.server(spec.getServerRef().getName()));
  }

  static List<String> ownerSbcNames(HasMetadata config) {
    List<OwnerReference> owners = config.getMetadata().getOwnerReferences();
    if (owners == null) {
      return List.of();
    }
    return owners.stream()
        .filter(o -> MetalGroup.API_VERSION.equals(o.getApiVersion()) && SBC_KIND.equals(o.getKind()))
        .map(OwnerReference::getName)
        .toList();
  }
}
