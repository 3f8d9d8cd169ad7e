package dev.ironcore.boot.reconcile;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keys waiting to be reconciled, as client-go's work queue: a key is queued at most once however
 * often it is added; a key being processed is never handed out again until {@link #done}, and if
 * it was added meanwhile it is queued again then. Failed keys come back after a capped backoff.
 */
public final class WorkQueue implements AutoCloseable {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition keyQueued = lock.newCondition();
  private final Set<String> queued = new LinkedHashSet<>();
  private final Set<String> processing = new HashSet<>();
  /** Added while processing: queued again once done. */
  private final Set<String> addedWhileProcessing = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Backoff backoff;
  private final ScheduledExecutorService delayedAdds;

  public WorkQueue(String name, Backoff backoff) {
    this.backoff = backoff;
    this.delayedAdds = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "reconcile-retries-" + name);
      thread.setDaemon(true);
      return thread;
    });
  }

  public void add(String key) {
    lock.lock();
    try {
      if (processing.contains(key)) {
        addedWhileProcessing.add(key);
      } else if (queued.add(key)) {
        keyQueued.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The next key to process, waiting up to {@code timeout}; null when none came. */
  public String poll(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (queued.isEmpty()) {
        if (nanos <= 0) {
          return null;
        }
        nanos = keyQueued.awaitNanos(nanos);
      }
      String key = queued.iterator().next();
      queued.remove(key);
      processing.add(key);
      return key;
    } finally {
      lock.unlock();
    }
  }

  /** Marks a polled key as processed; queues it again if it was added meanwhile. */
  public void done(String key) {
    lock.lock();
    try {
      processing.remove(key);
      if (addedWhileProcessing.remove(key)) {
        add(key);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Records a failure of {@code key} and adds it again after the backoff; returns that delay. */
  public Duration retryLater(String key) {
    Duration delay;
    lock.lock();
    try {
      delay = backoff.delayAfter(failures.merge(key, 1, Integer::sum));
    } finally {
      lock.unlock();
    }
    delayedAdds.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    return delay;
  }

  /** Forgets the failures of {@code key}: its next failure starts the backoff afresh. */
  public void forget(String key) {
    lock.lock();
    try {
      failures.remove(key);
    } finally {
      lock.unlock();
    }
  }

  /** Keys waiting to be processed (not those being processed or waiting for a retry). */
  public int depth() {
    lock.lock();
    try {
      return queued.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    delayedAdds.shutdownNow();
  }
}
