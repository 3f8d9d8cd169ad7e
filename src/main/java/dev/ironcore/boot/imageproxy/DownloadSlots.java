package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.BlobBody;
import dev.ironcore.boot.blobcache.UpstreamBlob;
import dev.ironcore.boot.config.DownloadLimitSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * At most {@code boot.max-upstream-downloads} registry downloads at once: a download holds its slot from
 * asking the registry until its body is closed (read to its end, failed or cancelled), so each one's
 * connection, pump thread and memory are bounded. More wait in order, machines' requests before
 * prefetches; past {@code boot.max-queued-downloads} waiting, one more is refused (503, worth a retry).
 * Only a cache miss asks for a slot: a hit never waits, and a blob many machines want at once (single
 * flight) takes one.
 */
final class DownloadSlots {
  /** How long a refused client is told to wait: about what a boot layer takes to download. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(10);

  /** Who wants the download: a machine waiting for it, or a prefetch nobody waits for yet. */
  enum Priority { MACHINE, PREFETCH }

  /** A download waiting for a slot: {@code key} (the blob) lets a machine move a prefetch ahead. */
  private record Waiter(String key, Context context, Promise<Slot> turn) {}

  private final Vertx vertx;
  private final int maxActive;
  private final int maxQueued;
  private final ImageProxyMetrics metrics;
  private final ArrayDeque<Waiter> machines = new ArrayDeque<>();
  private final ArrayDeque<Waiter> prefetches = new ArrayDeque<>();
  private int active;

  DownloadSlots(Vertx vertx, DownloadLimitSettings limits, ImageProxyMetrics metrics) {
    this.vertx = vertx;
    this.maxActive = limits.maxUpstreamDownloads();
    this.maxQueued = limits.maxQueuedDownloads();
    this.metrics = metrics;
    metrics.downloadSlots(this::active, this::queued);
  }

  /**
   * {@code fetch} run once a slot is free; its body gives the slot back when closed. Fails with a
   * {@link RetryLaterException} when too many wait already.
   */
  Future<UpstreamBlob> fetch(Priority priority, String key, Supplier<Future<UpstreamBlob>> fetch) {
    return turn(priority, key).compose(slot -> {
      Future<UpstreamBlob> started;
      try {
        started = fetch.get();
      } catch (RuntimeException failure) {
        started = Future.failedFuture(failure);
      }
      return started.<UpstreamBlob>map(blob -> new UpstreamBlob(blob.size(), new SlotBody(blob.body(), slot)))
          .onFailure(failure -> slot.release());
    });
  }

  /** A machine asks for {@code key}: a prefetch of it still waiting moves to the machines' queue. */
  synchronized void promote(String key) {
    for (Iterator<Waiter> waiting = prefetches.iterator(); waiting.hasNext(); ) {
      Waiter waiter = waiting.next();
      if (waiter.key().equals(key)) {
        waiting.remove();
        machines.add(waiter);
        return;
      }
    }
  }

  private Future<Slot> turn(Priority priority, String key) {
    Waiter waiter;
    synchronized (this) {
      if (active < maxActive) {
        active++;
        return Future.succeededFuture(new Slot());
      }
      if (queued() >= maxQueued) {
        metrics.refused("queue-full");
        return Future.failedFuture(new RetryLaterException(503, "Service Unavailable: " + maxQueued
            + " blob downloads already wait for a registry connection (boot.max-queued-downloads); retry later",
            RETRY_AFTER));
      }
      waiter = new Waiter(key, vertx.getOrCreateContext(), Promise.promise());
      (priority == Priority.MACHINE ? machines : prefetches).add(waiter);
    }
    return waiter.turn().future();
  }

  /** A slot came free: the next waiter takes it on its own context, or it is free for the next to ask. */
  private void released() {
    Waiter next;
    synchronized (this) {
      next = machines.isEmpty() ? prefetches.poll() : machines.poll();
      if (next == null) {
        active--;
        return;
      }
    }
    next.context().runOnContext(v -> next.turn().complete(new Slot()));
  }

  synchronized int active() {
    return active;
  }

  synchronized int queued() {
    return machines.size() + prefetches.size();
  }

  /** One download's right to run; given back once, whatever ends it. */
  private final class Slot {
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true)) {
        released();
      }
    }
  }

  /** A registry body that gives its slot back when it is closed. */
  private record SlotBody(BlobBody body, Slot slot) implements BlobBody {
    @Override
    public int read(ByteBuffer destination) throws IOException {
      return body.read(destination);
    }

    @Override
    public int available() throws IOException {
      return body.available();
    }

    @Override
    public void close() {
      body.close();
      slot.release();
    }
  }
}
