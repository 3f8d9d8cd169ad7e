package dev.ironcore.boot.blobcache;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Moves a download's bytes from the registry into its {@link InflightFetch}, on a thread of its own:
 * blocking reads straight into the chunks' memory (no copy, no wake-up per network read), published
 * to readers and to the {@link BlobWriter} a chunk at a time, or sooner when the registry pauses.
 * Waits while the download's memory is full or its readers are far behind (see the fetch). Whatever
 * fails, or a body that ends early, fails the writer; after the last byte the writer ends. The pump
 * owns the body: it closes it when it stops, whatever the reason.
 */
final class DownloadPump implements Runnable {
  /**
   * How often at most bytes are published before a chunk is full, when the registry has nothing more
   * at hand: each publication wakes the writer's threads and the readers' event loops.
   */
  static final long PUBLISH_NANOS = 1_000_000;

  private final UpstreamBlob upstream;
  private final InflightFetch fetch;
  private final BlobWriter writer;
  private final ChunkPool pool;
  private long lastPublished = System.nanoTime();

  DownloadPump(UpstreamBlob upstream, InflightFetch fetch, BlobWriter writer, ChunkPool pool) {
    this.upstream = upstream;
    this.fetch = fetch;
    this.writer = writer;
    this.pool = pool;
  }

  @Override
  public void run() {
    Chunk chunk = null;
    try {
      long size = upstream.size();
      for (long filled = 0; filled < size; ) {
        if (chunk == null) {
          chunk = fetch.nextChunk(filled, pool);
        }
        long chunkEnd = Math.min(chunk.end(), size);
        filled += read(chunk.bytes(filled, chunkEnd), filled);
        if (filled == chunkEnd) {
          publish(filled);
          chunk.release();
          chunk = null;
        } else if (System.nanoTime() - lastPublished >= PUBLISH_NANOS && upstream.body().available() == 0) {
          publish(filled);
        }
      }
      writer.end();
    } catch (InterruptedException stopped) {
      writer.fail(cacheClosed(stopped));
    } catch (Throwable failure) {
      // An interrupt (a blocked read ends with it too) means the cache's threads are being stopped.
      writer.fail(Thread.interrupted() ? cacheClosed(failure) : failure);
      if (failure instanceof Error error) {
        throw error;
      }
    } finally {
      if (chunk != null) {
        chunk.release();
      }
      upstream.cancel();
    }
  }

  /** The pump could not be started: the download fails as if it had. */
  void notStarted(Throwable cause) {
    upstream.cancel();
    writer.fail(cause);
  }

  private static IllegalStateException cacheClosed(Throwable cause) {
    return new IllegalStateException("the blob cache is closed", cause);
  }

  private int read(ByteBuffer destination, long filled) throws IOException {
    int read = upstream.body().read(destination);
    if (read < 0) {
      throw new BlobVerificationException(
          "blob " + fetch.digest() + " ended after " + filled + " of " + upstream.size() + " bytes");
    }
    return read;
  }

  private void publish(long upTo) {
    lastPublished = System.nanoTime();
    fetch.received(upTo);
    writer.published();
  }
}
