package dev.ironcore.boot.imageproxy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The layers boot configs reference, each counted once per source (a config, or the default UKI) that
 * names it: a lookup is one hash lookup, and a source's change replaces only its own keys.
 */
final class ReferencedLayers {
  private final Map<String, Set<LayerKey>> bySource = new HashMap<>();
  private final Map<LayerKey, Integer> sources = new HashMap<>();

  /** {@code source}'s layers are now {@code keys} (empty: it is gone). */
  synchronized void replace(String source, Set<LayerKey> keys) {
    Set<LayerKey> before = keys.isEmpty() ? bySource.remove(source) : bySource.put(source, Set.copyOf(keys));
    keys.forEach(key -> sources.merge(key, 1, Integer::sum));
    if (before != null) {
      before.forEach(key -> sources.computeIfPresent(key, (ignored, count) -> count == 1 ? null : count - 1));
    }
  }

  synchronized boolean contains(LayerKey key) {
    return sources.containsKey(key);
  }

  /** How many distinct layers are referenced (a gauge, and tests). */
  synchronized int size() {
    return sources.size();
  }
}
