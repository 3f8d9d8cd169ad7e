package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.net.ClientAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code boot.max-downloads-per-client} blob answers under way per client address, from the
 * start of a request until its response ends or its connection closes: one machine (or one attacker)
 * cannot take every download slot and every upstream byte. The client is the one {@link
 * dev.ironcore.boot.net.TrustedProxies} names: behind a trusted proxy, the address in its {@code
 * X-Forwarded-For} (the entry the proxy appended, which its client cannot forge), so each machine
 * behind it is capped on its own; a trusted proxy that names no client is not capped, as it speaks for
 * many machines. A client's entry lives only while it has an answer under way.
 */
final class ClientAnswers {
  private final int maxPerClient;
  private final ConcurrentHashMap<String, Integer> underWay = new ConcurrentHashMap<>();

  ClientAnswers(int maxPerClient) {
    this.maxPerClient = maxPerClient;
  }

  /**
   * Counts one more answer for {@code client} and returns what ends it (to be run once its response
   * is over; running it again does nothing); empty, with nothing counted, when the client is at its cap.
   */
  Optional<Runnable> begin(ClientAddress client) {
    String counted = countedAddress(client);
    if (counted == null) {
      return Optional.of(() -> { });
    }
    boolean[] admitted = {false};
    underWay.compute(counted, (address, count) -> {
      int current = count == null ? 0 : count;
      admitted[0] = current < maxPerClient;
      return admitted[0] ? current + 1 : count;
    });
    if (!admitted[0]) {
      return Optional.empty();
    }
    AtomicBoolean ended = new AtomicBoolean();
    return Optional.of(() -> {
      if (ended.compareAndSet(false, true)) {
        underWay.computeIfPresent(counted, (address, count) -> count == 1 ? null : count - 1);
      }
    });
  }

  /** The address the cap applies to; null for none (no IP peer, or a trusted proxy speaking for itself). */
  private static String countedAddress(ClientAddress client) {
    if (ClientAddress.UNKNOWN.equals(client.client())
        || client.peerTrusted() && client.client().equals(client.peer())) {
      return null;
    }
    return client.client();
  }

  int maxPerClient() {
    return maxPerClient;
  }
}
