package dev.ironcore.boot.net;

import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code boot.trusted-proxies}: the peers whose {@code X-Forwarded-For} names the client. The client
 * of a request is its TCP peer; when the peer is trusted, it is the right-most {@code X-Forwarded-For}
 * entry that is not itself trusted (each trusted hop appends the address it was called from). An
 * entry that is no IP address ends what can be believed: the client is then the last trusted hop, so a
 * garbled chain never binds to a machine. Several header lines read as one list, in order.
 */
public final class TrustedProxies {
  /** Hops looked at from the right; a longer chain is cut there, as if the next entry were garbled. */
  static final int MAX_HOPS = 32;

  private final List<Cidr> ranges;

  public TrustedProxies(List<Cidr> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** Parses a list of addresses and CIDR ranges; throws IllegalArgumentException naming a bad entry. */
  public static TrustedProxies parse(List<String> entries) {
    return new TrustedProxies(entries.stream().map(Cidr::parse).toList());
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  public boolean trusts(IpAddress address) {
    for (Cidr range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The client of a request from {@code peer} with these {@code X-Forwarded-For} values (String, List or null). */
  public ClientAddress clientOf(SocketAddress peer, Object forwardedFor) {
    IpAddress peerAddress = peer == null || !peer.isInetSocket() ? null : IpAddress.parse(peer.hostAddress());
    if (peerAddress == null) {
      return ClientAddress.unknown();
    }
    if (!trusts(peerAddress)) {
      return new ClientAddress(peerAddress.text(), peerAddress.text(), false);
    }
    List<String> hops = entries(forwardedFor);
    IpAddress client = peerAddress;
    for (int i = hops.size() - 1; i >= 0 && i >= hops.size() - MAX_HOPS; i--) {
      IpAddress hop = IpAddress.parse(withoutPort(hops.get(i)));
      if (hop == null) {
        break;
      }
      client = hop;
      if (!trusts(hop)) {
        break;
      }
    }
    return new ClientAddress(client.text(), peerAddress.text(), true);
  }

  /** {@code 192.0.2.1:4711} and {@code [2001:db8::1]:4711} (as some proxies write them) without the port. */
  private static String withoutPort(String entry) {
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      return close < 0 ? entry : entry.substring(1, close);
    }
    int colon = entry.indexOf(':');
    return colon > 0 && colon == entry.lastIndexOf(':') ? entry.substring(0, colon) : entry;
  }

  private static List<String> entries(Object header) {
    List<String> entries = new ArrayList<>();
    if (header instanceof Iterable<?> values) {
      values.forEach(value -> addEntries(String.valueOf(value), entries));
    } else if (header != null) {
      addEntries(header.toString(), entries);
    }
    return entries;
  }

  private static void addEntries(String value, List<String> entries) {
    Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(entries::add);
  }

  @Override
  public String toString() {
    return ranges.toString();
  }
}
