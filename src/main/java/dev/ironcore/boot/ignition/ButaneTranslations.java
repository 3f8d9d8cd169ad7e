package dev.ironcore.boot.ignition;

import dev.ironcore.boot.config.ButaneSettings;
import dev.ironcore.boot.ignition.butane.ButaneException;
import dev.ironcore.boot.ignition.butane.ButaneTranslator;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Butane Secrets translated once per Secret version: the result (Ignition JSON or the error) is
 * cached by uid and resourceVersion, and requests and reconciles that ask while a translation runs
 * wait for that one (single flight), so a rack sharing one Secret costs one translation. The
 * reconcilers call {@link #translate} too, to show a broken config in status before a machine boots.
 *
 * <p>Translations run on a few threads of their own, behind a bounded queue. A translation that finds
 * no free thread within the deadline ({@code boot.butane-timeout}), or no room in the queue, ends in
 * {@link ButaneBusyException} (retry; not cached: it says nothing about the input). One that runs past
 * the deadline is interrupted and its Secret version keeps the timeout error, so the same input does
 * not cost the deadline again on every boot request; a new version of the Secret is translated afresh.
 * So a caller waits at most twice the deadline.
 */
public class ButaneTranslations implements AutoCloseable {
  private final ButaneSettings settings;
  private final Function<byte[], String> translation;
  private final Map<String, CompletableFuture<byte[]>> cache;
  private final ThreadPoolExecutor executor;
  /** Translations running or waiting for a thread: at most threads + queue. */
  private final Semaphore admitted;
  private final ScheduledExecutorService deadlines;
  private final MeterRegistry metrics;

  public ButaneTranslations(ButaneSettings settings, MeterRegistry metrics) {
    this(settings, metrics, ignitionOf(new ButaneTranslator(settings.maxInputBytes())));
  }

  /** {@code translation} turns Butane into Ignition JSON; tests put a slow one in. */
  ButaneTranslations(ButaneSettings settings, MeterRegistry metrics, Function<byte[], String> translation) {
    this.settings = settings;
    this.translation = translation;
    this.metrics = metrics;
    this.cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<byte[]>> eldest) {
        return size() > settings.cacheEntries();
      }
    });
    // The queue is bounded by admission, not by its capacity: a full ArrayBlockingQueue also refuses
    // a task in the moment between an idle thread being woken for the previous one and taking it.
    this.admitted = new Semaphore(settings.threads() + settings.queue());
    this.executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("butane"));
    executor.prestartAllCoreThreads(); // a translation's wait for a thread never includes starting one
    this.deadlines = Executors.newSingleThreadScheduledExecutor(daemonThreads("butane-deadline"));
  }

  /**
   * The Ignition JSON of the Butane in {@code data}; throws {@link ButaneException} with the first
   * error (its {@link ButaneException#summary()} holds no value of the Secret), or
   * {@link ButaneBusyException} when no thread was free for it in time.
   */
  public byte[] translate(Secret secret, byte[] data) {
    ButaneTranslator.requireWithin(settings.maxInputBytes(), data); // takes no thread, needs no cache
    String key = secret.getMetadata().getUid() + "@" + secret.getMetadata().getResourceVersion();
    CompletableFuture<byte[]> result;
    Pending started = null;
    synchronized (cache) {
      result = cache.get(key);
      if (result == null) {
        started = new Pending(key, data);
        result = started.result;
        cache.put(key, result);
      }
    }
    if (started != null) {
      started.submit();
    }
    return await(result);
  }

  /** The deadlines complete every result within twice the timeout; the wait's own bound is a safety net. */
  private byte[] await(CompletableFuture<byte[]> result) {
    try {
      return result.get(2 * settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ButaneBusyException("the Butane translation did not finish in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ButaneBusyException("interrupted while waiting for the Butane translation");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new CompletionException(e.getCause());
    }
  }

  /** Translations waiting for a thread (tests: the queue is full). */
  int waitingTranslations() {
    return executor.getQueue().size();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    deadlines.shutdownNow();
  }

  /**
   * One translation. It has {@code timeout} to get a thread (else callers are told to retry and nothing
   * is cached) and then {@code timeout} to run (else it is interrupted and the version keeps the error).
   */
  private final class Pending implements Runnable {
    final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final String key;
    private final byte[] data;
    /** Taken by the thread that runs it, or by the deadline of its wait for one. */
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile ScheduledFuture<?> queueDeadline;
    private volatile Future<?> running;

    Pending(String key, byte[] data) {
      this.key = key;
      this.data = data;
    }

    void submit() {
      if (!admitted.tryAcquire()) {
        giveUp("too many Butane translations are waiting");
        return;
      }
      queueDeadline = deadlines.schedule(this::expireInQueue, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      try {
        running = executor.submit(this);
      } catch (RejectedExecutionException e) { // closed
        queueDeadline.cancel(false);
        admitted.release();
        giveUp("the Butane translator is shutting down");
      }
    }

    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true)) {
        return;
      }
      queueDeadline.cancel(false);
      ScheduledFuture<?> deadline = deadlines.schedule(this::expireRunning, settings.timeout().toMillis(),
          TimeUnit.MILLISECONDS);
      try {
        byte[] ignition = translation.apply(data).getBytes(StandardCharsets.UTF_8);
        settle("ok", () -> result.complete(ignition));
      } catch (RuntimeException e) {
        settle("error", () -> result.completeExceptionally(e));
      } finally {
        deadline.cancel(false);
        admitted.release();
      }
    }

    private void expireInQueue() {
      if (claimed.compareAndSet(false, true)) {
        Future<?> task = running;
        if (task != null) {
          task.cancel(false);
          executor.purge(); // the cancelled task leaves the queue now, as its place is given back
        }
        admitted.release();
        giveUp("no Butane translation thread was free in time");
      }
    }

    private void giveUp(String why) {
      cache.remove(key, result);
      result.completeExceptionally(new ButaneBusyException(why));
    }

    private void expireRunning() {
      ButaneException timeout = new ButaneException("Butane translation did not finish within "
          + settings.timeout().toMillis() + " ms; the config is too large or complex to translate");
      if (settle("timeout", () -> result.completeExceptionally(timeout))) {
        running.cancel(true);
      }
    }

    /** Counts and completes the outcome that comes first: the translation's own, or its deadline's. */
    private boolean settle(String outcome, Runnable completion) {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      count(outcome);
      completion.run();
      return true;
    }
  }

  private static Function<byte[], String> ignitionOf(ButaneTranslator translator) {
    return data -> translator.translate(data).ignitionJson();
  }

  private void count(String result) {
    metrics.counter("boot_butane_translations_total", "result", result).increment();
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger number = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
