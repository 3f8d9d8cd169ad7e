package dev.ironcore.boot.blobcache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which blobs are on disk, their sizes in least-recently-used order, which are in use (pinned), and
 * the bytes reserved by downloads under way. No I/O: the caller deletes what {@link #evictToFit}
 * returns. Thread-safe; every method is short.
 */
final class CacheIndex {
  /** A published blob; {@code verified} is false for one found on disk at start-up until re-hashed. */
  record Entry(long size, boolean verified) {}

  private final long maxBytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Integer> pins = new HashMap<>();
  private long storedBytes;
  private long reservedBytes;

  CacheIndex(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The entry, marked as just used; null when absent. */
  synchronized Entry touch(String hex) {
    return entries.get(hex);
  }

  synchronized boolean contains(String hex) {
    return entries.containsKey(hex);
  }

  /** Adds a blob as the most recently used one (or replaces its entry, e.g. once re-verified). */
  synchronized void put(String hex, Entry entry) {
    Entry previous = entries.put(hex, entry);
    storedBytes += entry.size() - (previous == null ? 0 : previous.size());
  }

  synchronized void remove(String hex) {
    Entry removed = entries.remove(hex);
    if (removed != null) {
      storedBytes -= removed.size();
    }
  }

  synchronized void pin(String hex) {
    pins.merge(hex, 1, Integer::sum);
  }

  synchronized void unpin(String hex) {
    pins.computeIfPresent(hex, (key, count) -> count == 1 ? null : count - 1);
  }

  /** Blobs in use by a reader now: each must be unpinned once its reader ends, or it can never be evicted. */
  synchronized int pinnedBlobs() {
    return pins.size();
  }

  synchronized boolean pinned(String hex) {
    return pins.containsKey(hex);
  }

  /**
   * Reserves {@code bytes} for a download and removes the least recently used blobs nobody reads until
   * everything fits the bound, returning them for deletion; empty, with nothing reserved or removed,
   * when even removing every such blob would leave too little room.
   */
  synchronized Optional<List<String>> reserveWithin(long bytes) {
    long evictable = 0;
    for (Map.Entry<String, Entry> entry : entries.entrySet()) {
      if (!pins.containsKey(entry.getKey())) {
        evictable += entry.getValue().size();
      }
    }
    if (storedBytes - evictable + reservedBytes + bytes > maxBytes) {
      return Optional.empty();
    }
    reservedBytes += bytes;
    return Optional.of(evictToFit());
  }

  synchronized void unreserve(long bytes) {
    reservedBytes -= bytes;
  }

  synchronized long totalBytes() {
    return storedBytes + reservedBytes;
  }

  synchronized long storedBytes() {
    return storedBytes;
  }

  /**
   * Removes least recently used blobs that nobody reads until stored plus reserved bytes fit the
   * bound (or only pinned blobs are left) and returns them for deletion.
   */
  synchronized List<String> evictToFit() {
    List<String> evicted = new ArrayList<>();
    Iterator<Map.Entry<String, Entry>> oldestFirst = entries.entrySet().iterator();
    while (storedBytes + reservedBytes > maxBytes && oldestFirst.hasNext()) {
      Map.Entry<String, Entry> candidate = oldestFirst.next();
      if (!pins.containsKey(candidate.getKey())) {
        oldestFirst.remove();
        storedBytes -= candidate.getValue().size();
        evicted.add(candidate.getKey());
      }
    }
    return evicted;
  }
}
