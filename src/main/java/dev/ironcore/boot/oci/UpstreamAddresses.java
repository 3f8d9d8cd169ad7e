package dev.ironcore.boot.oci;

import static dev.ironcore.boot.oci.RegistryException.Kind.REFUSED_UPSTREAM;
import static dev.ironcore.boot.oci.RegistryException.Kind.UNREACHABLE;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a registry may send us. A registry's own host is the operator's choice (it is on the
 * allowlist); a redirect hop or a token realm is the registry's, or that of anyone between us and an
 * insecure registry, so it must not downgrade https to http nor lead to an address of an {@link
 * AddressClass} (this machine, the link, the private network, a metadata service) unless an allowed
 * registry itself lives at that host: a hop whose host is an allowed registry's host by name, or
 * resolves to the address an allowed registry's IP literal names, is fine on any port (a registry and
 * its token service often share a host). A metadata address is refused even then. Every host is
 * resolved once, here, and the caller connects to the returned address.
 */
public final class UpstreamAddresses {
  /** What led to the hop, for messages. */
  public enum Hop {
    REDIRECT("a redirect", "to"),
    TOKEN_REALM("a token realm", "at");

    private final String description;
    private final String preposition;

    Hop(String description, String preposition) {
      this.description = description;
      this.preposition = preposition;
    }
  }

  private final RegistryAllowList allowList;
  private final HostResolver resolver;

  public UpstreamAddresses(RegistryAllowList allowList, HostResolver resolver) {
    this.allowList = allowList;
    this.resolver = resolver;
  }

  /** The address to connect to for {@code uri} on an allowed registry's own host (refused only for a metadata address). */
  public InetAddress ofRegistry(URI uri) {
    InetAddress address = resolve(uri);
    if (AddressClass.of(address).filter(AddressClass.METADATA::equals).isPresent()) {
      throw refused(uri.getHost() + " resolved to the metadata address " + address.getHostAddress(),
          "resolved to " + AddressClass.METADATA.description());
    }
    return address;
  }

  /**
   * The checked address to connect to for a {@code hop} from {@code from} to {@code to}.
   *
   * @throws RegistryException REFUSED_UPSTREAM for a downgrade or a refused address, UNREACHABLE for a name that does not resolve
   */
  public InetAddress ofHop(URI from, URI to, Hop hop) {
    if ("https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(to.getScheme())) {
      throw refused(hop.description + " from https://" + from.getAuthority() + " to http://" + to.getAuthority(),
          "refused " + hop.description + " from https to http");
    }
    List<InetAddress> addresses = resolveAll(to);
    for (InetAddress address : addresses) {
      Optional<AddressClass> kind = AddressClass.of(address);
      if (kind.isPresent() && !(kind.get() != AddressClass.METADATA && isAllowedRegistryHost(to, address))) {
        throw refused(hop.description + " from " + from.getHost() + " to " + to.getAuthority() + ", which is "
            + address.getHostAddress() + ", " + kind.get().description(),
            "refused " + hop.description + " " + hop.preposition + " " + kind.get().description());
      }
    }
    return addresses.get(0);
  }

  private boolean isAllowedRegistryHost(URI to, InetAddress address) {
    return allowList.isRegistryHost(bare(to.getHost()))
        || allowList.literalAddresses().contains(AddressClass.embeddedIpv4(address).orElse(address));
  }

  private InetAddress resolve(URI uri) {
    return resolveAll(uri).get(0);
  }

  private List<InetAddress> resolveAll(URI uri) {
    String host = bare(uri.getHost());
    try {
      List<InetAddress> addresses = resolver.resolve(host);
      if (addresses.isEmpty()) {
        throw new UnknownHostException(host);
      }
      return addresses;
    } catch (UnknownHostException e) {
      throw new RegistryException(UNREACHABLE, host + " does not resolve", e);
    }
  }

  /** The host without an IPv6 literal's brackets, lower case. */
  static String bare(String host) {
    return host.replaceFirst("^\\[(.*)]$", "$1").toLowerCase(Locale.ROOT);
  }

  private static RegistryException refused(String detail, String publicReason) {
    return new RegistryException(REFUSED_UPSTREAM, detail, publicReason);
  }
}
