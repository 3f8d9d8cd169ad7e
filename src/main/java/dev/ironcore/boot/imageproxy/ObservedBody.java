package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.BlobBody;
import dev.ironcore.boot.oci.RegistryConnection;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A registry response body, watched: it counts as a download under way until it is closed; a
 * failure counts as {@code timeout} or {@code aborted}; and a read that waits the idle timeout for
 * a byte fails (the connection is closed under it). Only time spent waiting in {@link #read} counts:
 * a download that does not read (its clients are slow) is not idle. One periodic check per download,
 * not a timer per read: reads only stamp the time.
 */
final class ObservedBody implements BlobBody {
  private final RegistryConnection connection;
  private final BodyWatch watch;
  private final long idleNanos;
  private final long checker;
  /** When the read under way started waiting; 0 while none is. */
  private volatile long readingSince;
  private volatile boolean timedOut;
  private boolean closed;

  ObservedBody(RegistryConnection connection, BodyWatch watch) {
    this.connection = connection;
    this.watch = watch;
    this.idleNanos = watch.idleTimeout().toNanos();
    this.checker = watch.vertx().setPeriodic(Math.max(10, watch.idleTimeout().toMillis() / 4), id -> checkIdle());
    watch.metrics().downloadStarted();
  }

  @Override
  public int read(ByteBuffer destination) throws IOException {
    readingSince = System.nanoTime() | 1; // never 0: 0 means no read
    try {
      return connection.read(destination);
    } catch (IOException failure) {
      throw failed(failure);
    } finally {
      readingSince = 0;
    }
  }

  @Override
  public int available() throws IOException {
    return connection.available();
  }

  /** Ends the download: stopped by us (cache discard, client gone, all read), no failure of the registry's. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    watch.vertx().cancelTimer(checker);
    watch.metrics().downloadEnded();
    connection.close();
  }

  private IOException failed(IOException failure) {
    boolean byUs;
    synchronized (this) {
      byUs = closed && !timedOut;
    }
    if (timedOut) {
      watch.metrics().upstreamError("timeout");
      return new SocketTimeoutException("registry sent nothing for " + watch.idleTimeout().toMillis() + " ms");
    }
    if (!byUs) {
      watch.metrics().upstreamError("aborted");
    }
    return failure;
  }

  private void checkIdle() {
    long since = readingSince;
    if (since != 0 && System.nanoTime() - since > idleNanos) {
      timedOut = true;
      close();
    }
  }
}
