package dev.ironcore.boot.oci;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A small bounded map whose entries expire: least recently used entries make room for new ones,
 * and an expired entry is never returned. Thread-safe; meant for tokens, probes and manifests.
 */
final class ExpiringCache<K, V> {
  private record Entry<V>(V value, Instant expiresAt) {}

  private final Clock clock;
  private final Map<K, Entry<V>> entries;

  ExpiringCache(int maxEntries, Clock clock) {
    this.clock = clock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
        return size() > maxEntries;
      }
    };
  }

  synchronized Optional<V> get(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.expiresAt())) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(entry.value());
  }

  synchronized void put(K key, V value, Instant expiresAt) {
    entries.put(key, new Entry<>(value, expiresAt));
  }

  /** For values that never go stale, such as content addressed by digest. */
  synchronized void putForever(K key, V value) {
    put(key, value, Instant.MAX);
  }

  synchronized void remove(K key) {
    entries.remove(key);
  }

  synchronized int size() {
    return entries.size();
  }
}
