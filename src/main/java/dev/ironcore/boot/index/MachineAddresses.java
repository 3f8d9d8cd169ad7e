package dev.ironcore.boot.index;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.net.IpAddress;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The IP addresses an object gives its machine, in canonical text (pure functions for the index):
 * an IPXEBootConfig's {@code spec.systemIPs}, the IPs among an HTTPBootConfig's
 * {@code spec.networkIdentifiers} (MACs are no addresses a request comes from), a Server's
 * {@code status.networkInterfaces[].ips} and the deprecated {@code .ip}. Anything else is skipped.
 */
final class MachineAddresses {
  private MachineAddresses() {}

  static List<String> of(IPXEBootConfig config) {
    return canonical(config.getSpec().getSystemIPs().stream());
  }

  static List<String> of(HTTPBootConfig config) {
    return canonical(config.getSpec().getNetworkIdentifiers().stream());
  }

  static List<String> of(Server server) {
    if (server.getStatus() == null) {
      return List.of();
    }
    return canonical(server.getStatus().getNetworkInterfaces().stream()
        .filter(Objects::nonNull)
        .flatMap(nic -> Stream.concat(Stream.of(nic.getIp()), nic.getIps().stream())));
  }

  static String systemUuid(Server server) {
    return server.getSpec() == null ? null : server.getSpec().getSystemUUID();
  }

  /** The index keys: one per address, each {@code <canonical UUID> <address>}; none without a UUID. */
  static List<String> keys(String rawUuid, List<String> addresses) {
    String uuid = SystemUuid.canonical(rawUuid);
    return uuid == null ? List.of() : addresses.stream().map(address -> key(uuid, address)).toList();
  }

  static String key(String canonicalUuid, String canonicalIp) {
    return canonicalUuid + " " + canonicalIp;
  }

  private static List<String> canonical(Stream<String> values) {
    return values.map(IpAddress::canonical).filter(Objects::nonNull).distinct().toList();
  }
}
