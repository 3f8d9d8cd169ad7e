package dev.ironcore.boot.binding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine and client pairs already logged, the least recently seen forgotten beyond
 * {@code capacity} ({@code boot.client-binding-log-capacity}): "once" costs bounded memory, and a
 * pair forgotten is merely logged again.
 */
public final class RecentPairs {
  private final Map<String, Boolean> seen;

  public RecentPairs(int capacity) {
    this.seen = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** True the first time {@code pair} is seen (again, once forgotten). */
  public synchronized boolean firstTime(String pair) {
    return seen.put(pair, Boolean.TRUE) == null;
  }
}
