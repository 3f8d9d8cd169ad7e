package dev.ironcore.boot.connections;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving ports' (boot, image, HTTPS: HTTP/1.1 only) part of a graceful stop. After
 * {@link #begin()} every connection, open or new, is closed once its answer under way is sent (an idle
 * one at once, a new one after its first answer); after {@link #refuseNewConnections()} a new
 * connection is closed as it is accepted; {@link #awaitDrained} waits until none is left.
 */
public final class ShutdownDrain {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownDrain.class);

  private final Map<Channel, DrainingConnection> open = new ConcurrentHashMap<>();
  private volatile boolean draining;
  private volatile boolean refusingNew;

  /** Whether {@link #begin()} was called: readiness fails from then on. */
  public boolean isDraining() {
    return draining;
  }

  boolean refusesNewConnections() {
    return refusingNew;
  }

  /** Tracks a connection just accepted, on its event loop, through its {@code handler} (already in its pipeline). */
  void track(Channel channel, DrainingConnection handler) {
    open.put(channel, handler);
    channel.closeFuture().addListener(closed -> open.remove(channel));
    if (draining) {
      handler.drainAfterFirstAnswer();
    }
  }

  public void begin() {
    draining = true;
    open.forEach((channel, handler) -> channel.eventLoop().execute(handler::drain));
  }

  public void refuseNewConnections() {
    refusingNew = true;
  }

  /** Connections of the serving ports still open. */
  public int openConnections() {
    return open.size();
  }

  /** Waits until every connection is closed, at most {@code bound}; true when none is left. */
  public boolean awaitDrained(Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!open.isEmpty()) {
      if (System.nanoTime() - deadline >= 0) {
        LOG.warn("{} connections still have answers under way; they are cut now", open.size());
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
