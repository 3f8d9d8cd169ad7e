package dev.ironcore.boot.blobcache;

import static dev.ironcore.boot.blobcache.TestBlobs.digestOf;
import static dev.ironcore.boot.blobcache.TestBlobs.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download side of the cache with the disk thread under the test's control: what readers can
 * take at each moment (memory or file), when the upstream must wait (disk behind, or every reader
 * behind), and that only the exact blob ends well; each through the page cache and with direct
 * writes of whole blocks.
 */
class BlobWriterTest {
  @Nested
  class ThroughThePageCache extends Cases {
    ThroughThePageCache() {
      super(1);
    }
  }

  @Nested
  class DirectWrites extends Cases {
    DirectWrites() {
      super(4096);
    }
  }

  abstract static class Cases {
    private static final int CHUNK = 64 * 1024;
    private final int blockSize;

    @TempDir Path dir;
    private Vertx vertx;
    private Context context;
    private final DiskThread disk = new DiskThread();
    /** The file of the last writer made. */
    private FileChannel file;

    Cases(int blockSize) {
      this.blockSize = blockSize;
    }

    @BeforeEach
    void startVertx() {
      vertx = Vertx.vertx();
      context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stopVertx() throws Exception {
      await(vertx.close());
    }

    @Test
    void everyByteReceivedIsReadableFromMemoryOrDiskAndIsTheBlobsWhateverTheDiskLag() throws Exception {
      // Given a blob written while the disk lags behind by up to 1 MiB more than the memory window
      // of the most recent bytes, sometimes by none
      int maxLagChunks = (int) ((InflightFetch.RECENT_BYTES + 1024 * 1024) / CHUNK);
      byte[] blob = randomBytes(3 * maxLagChunks * CHUNK + 5, 1);
      InflightFetch fetch = fetchOf(blob);
      BlobWriter writer = writerFor(fetch, blob).setWriteQueueMaxSize(Integer.MAX_VALUE);
      Random lag = new Random(2);

      for (int offset = 0; offset < blob.length; offset += CHUNK) {
        writeChunk(writer, blob, offset);
        if (lag.nextInt(maxLagChunks) == 0 || offset / CHUNK % maxLagChunks == maxLagChunks - 1) {
          disk.runAll();
        }
        // Then at every moment each received byte is in memory, or on disk, and is the blob's
        assertReadable(fetch, blob);
      }
      disk.runAll();
      assertReadable(fetch, blob);
      // (direct writes keep a last partial block back until the end)
      assertThat(fetch.written()).isEqualTo(blob.length - blob.length % blockSize);
    }

    @Test
    void theUpstreamWaitsWhileTheDiskIsBehindAndResumesOnceItCaughtUp() throws Exception {
      // When four chunks wait for a disk that has not run
      Waiting waiting = upstreamWaitingForTheDisk(3);

      // Then the upstream is told to go on only once the disk wrote them
      onContext(Future::succeededFuture);
      assertThat(waiting.drained()).hasValue(0);
      disk.runAll();
      onContext(Future::succeededFuture);
      assertThat(waiting.writer().writeQueueFull()).isFalse();
      assertThat(waiting.drained()).hasValue(1);
    }

    @Test
    void aDiskFailureWhileTheUpstreamWaitsWakesItAndFailsTheDownload() throws Exception {
      Waiting waiting = upstreamWaitingForTheDisk(6);
      BlobWriter writer = waiting.writer();

      // When the disk fails (here: the file is gone from under the writer) while the upstream waits
      file.close();
      disk.runAll();
      onContext(Future::succeededFuture);

      // Then the waiting upstream is woken, and its next write and the end fail (so the pipe ends)
      assertThat(waiting.drained()).hasValue(1);
      // as a failure of the cache's disk (misses then bypass the cache a while)
      assertThatThrownBy(() -> writeChunk(writer, waiting.blob(), 4 * CHUNK)).hasCauseInstanceOf(CacheDiskException.class)
          .hasRootCauseInstanceOf(ClosedChannelException.class);
      assertThatThrownBy(() -> onContext(writer::end)).hasCauseInstanceOf(CacheDiskException.class);
    }

    @Test
    void theDownloadWaitsForItsLeadingReaderAndOnlyForIt() throws Exception {
      byte[] blob = randomBytes(8 * 1024 * 1024, 4);
      InflightFetch fetch = fetchOf(blob);
      BlobWriter writer = writerFor(fetch, blob);
      Object slow = new Object();
      Object fast = new Object();
      fetch.readerAt(slow, 0);
      fetch.readerAt(fast, 0);
      int window = (int) InflightFetch.RECENT_BYTES;

      // When the download got a whole memory window ahead of both readers (the disk keeping up)
      for (int offset = 0; offset < window; offset += CHUNK) {
        writeChunk(writer, blob, offset);
        disk.runAll();
      }
      AtomicInteger drained = new AtomicInteger();
      assertThat(writer.writeQueueFull()).isTrue();
      countDrains(writer, drained);
      onContext(Future::succeededFuture);
      assertThat(drained).hasValue(0);

      // Then the fast reader catching up lets it go on; the slow one, still at 0, does not hold it
      fetch.readerAt(fast, window - CHUNK);
      onContext(Future::succeededFuture);
      assertThat(drained).hasValue(1);
      assertThat(writer.writeQueueFull()).isFalse();

      // And a download whose readers are all gone waits for nobody
      fetch.readerDone(fast);
      assertThat(writer.writeQueueFull()).isTrue();
      fetch.readerDone(slow);
      assertThat(writer.writeQueueFull()).isFalse();
    }

    @Test
    void blobsOfAnySizeAreWrittenExactly() throws Exception {
      for (int size : new int[] {1, 100, 4096, 2 * CHUNK, 1024 * 1024 + 4095, 2 * 1024 * 1024 + 1}) {
        byte[] blob = randomBytes(size, size);
        assertThat(writeAll(blob, blob)).as("%d bytes", size).isNull();
      }
    }

    @Test
    void onlyTheExactBlobEndsWell() throws Exception {
      byte[] blob = randomBytes(3 * CHUNK + 1, 5);
      byte[] tampered = blob.clone();
      tampered[CHUNK] ^= 1;

      assertThat(writeAll(blob, blob)).isNull();
      assertThat(writeAll(blob, tampered)).isInstanceOf(BlobVerificationException.class)
          .hasMessageContaining("do not match");
      assertThat(writeAll(blob, Arrays.copyOf(blob, blob.length - 1))).isInstanceOf(BlobVerificationException.class)
          .hasMessageContaining("ended after");
      byte[] longer = Arrays.copyOf(blob, blob.length + 1);
      assertThat(writeAll(blob, longer)).isInstanceOf(BlobVerificationException.class)
          .hasMessageContaining("longer than");
    }

    /** A writer whose upstream waits: four chunks queued for a disk that has not run, its go-on signals counted. */
    private record Waiting(byte[] blob, BlobWriter writer, AtomicInteger drained) {}

    private Waiting upstreamWaitingForTheDisk(int seed) throws Exception {
      byte[] blob = randomBytes(4 * 1024 * 1024, seed);
      BlobWriter writer = writerFor(fetchOf(blob), blob).setWriteQueueMaxSize(4 * CHUNK);
      for (int i = 0; i < 4; i++) {
        writeChunk(writer, blob, i * CHUNK);
      }
      assertThat(writer.writeQueueFull()).isTrue();
      AtomicInteger drained = new AtomicInteger();
      countDrains(writer, drained);
      return new Waiting(blob, writer, drained);
    }

    /** Writes {@code sent} as the download of {@code blob}; the failure of writing or ending, or null. */
    private Throwable writeAll(byte[] blob, byte[] sent) throws Exception {
      InflightFetch fetch = fetchOf(blob);
      BlobWriter writer = writerFor(fetch, blob);
      try {
        for (int offset = 0; offset < sent.length; offset += CHUNK) {
          writeChunk(writer, sent, offset);
          disk.runAll();
        }
        Future<Void> ended = onContext(() -> Future.succeededFuture(writer.end()));
        disk.runAll();
        await(ended);
        assertThat(Files.readAllBytes(fetch.path())).isEqualTo(blob);
        assertThat(fetch.written()).isEqualTo(blob.length);
        return null;
      } catch (ExecutionException e) {
        return e.getCause();
      }
    }

    /** The upstream's chunk of {@code bytes} at {@code offset}, written on the event loop. */
    private void writeChunk(BlobWriter writer, byte[] bytes, int offset) throws Exception {
      Buffer chunk = Buffer.buffer(Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + CHUNK)));
      onContext(() -> writer.write(chunk));
    }

    /** Waits for the writer's go-on signal as a pipe does, counting each one. */
    private void countDrains(BlobWriter writer, AtomicInteger drained) throws Exception {
      onContext(() -> {
        writer.drainHandler(v -> drained.incrementAndGet());
        return Future.succeededFuture();
      });
    }

    private void assertReadable(InflightFetch fetch, byte[] blob) throws Exception {
      byte[] onDisk = Files.readAllBytes(fetch.path());
      for (long position = 0; position < fetch.received(); position += 4099) {
        Buffer inMemory = fetch.inMemory(position, blob.length);
        int p = (int) position;
        if (inMemory != null) {
          assertThat(inMemory.getBytes()).as("memory at %d", p)
              .isEqualTo(Arrays.copyOfRange(blob, p, p + inMemory.length()));
        } else {
          assertThat(position).as("not in memory, so on disk: %d", p).isLessThan(fetch.written());
          assertThat(onDisk[p]).as("disk at %d", p).isEqualTo(blob[p]);
        }
      }
    }

    private InflightFetch fetchOf(byte[] blob) {
      return new InflightFetch(digestOf(blob), blob.length, dir.resolve("download-" + System.nanoTime()));
    }

    private BlobWriter writerFor(InflightFetch fetch, byte[] blob) throws Exception {
      file = blockSize == 1
          ? FileChannel.open(fetch.path(), StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)
          : FileChannel.open(fetch.path(), StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW, ExtendedOpenOption.DIRECT);
      return new BlobWriter(new DiskStore.DownloadFile(file, blockSize), fetch, context, disk);
    }

    /** Runs on the writer's event loop and waits for it (and for what it scheduled before). */
    private <T> T onContext(Callable<Future<T>> work) throws Exception {
      return await(onContextAsync(work));
    }

    private <T> Future<T> onContextAsync(Callable<Future<T>> work) {
      Promise<T> done = Promise.promise();
      context.runOnContext(v -> {
        try {
          work.call().onComplete(done);
        } catch (Exception e) {
          done.fail(e);
        }
      });
      return done.future();
    }

    /** The disk thread, run only when the test says so. */
    private static final class DiskThread implements Executor {
      private final Queue<Runnable> tasks = new ArrayDeque<>();

      @Override
      public synchronized void execute(Runnable task) {
        tasks.add(task);
      }

      void runAll() {
        for (Runnable task = next(); task != null; task = next()) {
          task.run();
        }
      }

      private synchronized Runnable next() {
        return tasks.poll();
      }
    }

    private static <T> T await(Future<T> future) throws Exception {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
