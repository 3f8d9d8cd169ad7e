package dev.ironcore.boot.oci;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a registry, CDN or token host name into addresses. Every upstream address is resolved here
 * exactly once and the connection then goes to the address that was checked, so a name that
 * answers differently the second time (DNS rebinding) cannot slip past {@link UpstreamAddresses}.
 */
@FunctionalInterface
public interface HostResolver {
  /** The JDK's resolver (hosts file, then DNS); IP literals are parsed, never looked up. */
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /** The addresses of {@code host} (a name or an IP literal without brackets), at least one. */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
