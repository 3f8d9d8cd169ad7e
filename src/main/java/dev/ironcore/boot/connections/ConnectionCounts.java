package dev.ironcore.boot.connections;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections open on one port, in all and per client address, against their caps. A client's
 * entry lives only while it has a connection open, so the map is bounded by the port's cap.
 */
final class ConnectionCounts {
  static final String PORT_LIMIT = "port-limit";
  static final String CLIENT_LIMIT = "client-limit";

  private final int maxPerPort;
  private final int maxPerClient;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();

  ConnectionCounts(int maxPerPort, int maxPerClient) {
    this.maxPerPort = maxPerPort;
    this.maxPerClient = maxPerClient;
  }

  /**
   * Counts a new connection of {@code client} ({@code capped}: false for a trusted proxy, which speaks
   * for many machines), or names the cap it would break: {@link #PORT_LIMIT} or {@link #CLIENT_LIMIT}.
   */
  Optional<String> open(String client, boolean capped) {
    if (open.incrementAndGet() > maxPerPort) {
      open.decrementAndGet();
      return Optional.of(PORT_LIMIT);
    }
    if (!capped) {
      return Optional.empty();
    }
    boolean[] refused = {false};
    perClient.compute(client, (address, count) -> {
      int current = count == null ? 0 : count;
      refused[0] = current >= maxPerClient;
      return refused[0] ? count : current + 1;
    });
    if (refused[0]) {
      open.decrementAndGet();
      return Optional.of(CLIENT_LIMIT);
    }
    return Optional.empty();
  }

  /** A connection that {@link #open} counted has closed. */
  void closed(String client, boolean capped) {
    open.decrementAndGet();
    if (capped) {
      perClient.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1);
    }
  }

  int open() {
    return open.get();
  }
}
