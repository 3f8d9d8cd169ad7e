package dev.ironcore.boot.blobcache;

import static dev.ironcore.boot.blobcache.TestBlobs.digestOf;
import static dev.ironcore.boot.blobcache.TestBlobs.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download side of the cache with the disk thread under the test's control, the test itself
 * receiving bytes as the {@link DownloadPump} does: what readers can take at each moment (memory or
 * file), when the download must wait (disk behind, or every reader behind), that only the exact
 * blob ends well, and that every chunk goes back to the pool.
 */
class BlobWriterTest {
  /** What the registry hands over per read here: chunks fill over several reads. */
  private static final int PIECE = 256 * 1024;
  private static final int MIB = Chunk.BYTES;

  @TempDir Path dir;
  private Vertx vertx;
  private final DiskThread disk = new DiskThread();
  private final ChunkPool pool = new ChunkPool(64);
  /** The file of the last writer made. */
  private FileChannel file;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    await(vertx.close());
  }

  @Test
  void everyByteReceivedIsReadableFromMemoryOrDiskAndIsTheBlobsWhateverTheDiskLag() throws Exception {
    // Given a blob received while the disk lags behind by up to the whole window, sometimes by none
    byte[] blob = randomBytes(2 * InflightFetch.CACHED_WINDOW_CHUNKS * MIB + 5, 1);
    Download download = new Download(blob);
    Random lag = new Random(2);

    while (download.received < blob.length) {
      download.receive(blob, PIECE);
      if (lag.nextInt(2 * InflightFetch.CACHED_WINDOW_CHUNKS * MIB / PIECE) == 0 || download.windowFull()) {
        disk.runAll();
        download.diskRan();
      }
      // Then at every moment each received byte is in memory, or on disk, and is the blob's
      assertReadable(download.fetch, blob);
    }
    disk.runAll();
    assertReadable(download.fetch, blob);
    assertThat(download.fetch.written()).isEqualTo(blob.length);
  }

  @Test
  void theDownloadWaitsWhileTheDiskIsBehindAndGoesOnOnceItCaughtUp() throws Exception {
    // Given a download whose whole window waits for a disk that has not run
    Download download = new Download(new byte[(InflightFetch.CACHED_WINDOW_CHUNKS + 4) * MIB]);
    download.fillTheWindow();

    // Then it gets no chunk for more until the disk wrote (and hashed) what it holds
    CompletableFuture<Chunk> next = download.nextChunkInTheBackground();
    assertThatThrownBy(() -> next.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    disk.runAll();
    assertThat(next.get(5, TimeUnit.SECONDS).start()).isEqualTo(download.received);
    next.get().release();
  }

  @Test
  void aDiskFailureFailsTheDownloadAndWakesItWhereItWaits() throws Exception {
    Download download = new Download(new byte[(InflightFetch.CACHED_WINDOW_CHUNKS + 4) * MIB]);
    download.fillTheWindow();
    CompletableFuture<Chunk> next = download.nextChunkInTheBackground();

    // When the disk fails (here: the file is gone from under the writer)
    file.close();
    disk.runAll();

    // Then the writer fails as a failure of the cache's disk (misses then bypass the cache a while)
    assertThatThrownBy(() -> await(download.writer.verified())).hasCauseInstanceOf(CacheDiskException.class)
        .hasRootCauseInstanceOf(ClosedChannelException.class);
    // and the download, failed with it (as the cache does), stops waiting and gives its memory back
    download.fetch.fail(new CacheDiskException(new ClosedChannelException()));
    assertThatThrownBy(() -> next.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(pool.inUse()).isZero();
  }

  @Test
  void theDownloadWaitsForItsLeadingReaderAndOnlyForIt() throws Exception {
    byte[] blob = randomBytes(16 * MIB, 4);
    Download download = new Download(blob);
    Object slow = new Object();
    Object fast = new Object();
    download.fetch.readerAt(slow, 0, blob.length);
    download.fetch.readerAt(fast, 0, blob.length);

    // When the download got a whole recent window ahead of both readers (the disk keeping up)
    while (download.received < InflightFetch.RECENT_BYTES) {
      download.receive(blob, MIB);
      disk.runAll();
    }
    CompletableFuture<Chunk> next = download.nextChunkInTheBackground();
    assertThatThrownBy(() -> next.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

    // Then the fast reader coming near lets it go on; the slow one, still at 0, does not hold it
    download.fetch.readerAt(fast, InflightFetch.RECENT_BYTES - MIB, blob.length);
    next.get(5, TimeUnit.SECONDS).release();

    // And a download whose readers are all gone waits for nobody
    download.fetch.readerDone(fast);
    download.fetch.readerDone(slow);
    assertThat(download.fetch.nextChunk(download.received, pool).start()).isEqualTo(download.received);
  }

  @Test
  void blobsOfAnySizeAreWrittenExactlyAndGiveTheirMemoryBack() throws Exception {
    for (int size : new int[] {0, 1, 100, 4096, 2 * PIECE, MIB, MIB + 4095, 2 * MIB + 1}) {
      byte[] blob = randomBytes(size, size);
      assertThat(receiveAll(blob, blob)).as("%d bytes", size).isNull();
      assertThat(pool.inUse()).as("chunks in use after %d bytes", size).isZero();
    }
  }

  @Test
  void onlyTheExactBlobEndsWell() throws Exception {
    byte[] blob = randomBytes(3 * MIB + 1, 5);
    byte[] tampered = blob.clone();
    tampered[MIB] ^= 1;

    assertThat(receiveAll(blob, blob)).isNull();
    assertThat(receiveAll(blob, tampered)).isInstanceOf(BlobVerificationException.class)
        .hasMessageContaining("do not match");
  }

  /** Receives {@code sent} as the download of {@code blob}; the writer's failure, or null. */
  private Throwable receiveAll(byte[] blob, byte[] sent) throws Exception {
    Download download = new Download(blob);
    try {
      while (download.received < blob.length) {
        download.receive(sent, PIECE);
        disk.runAll();
      }
      download.writer.end();
      disk.runAll();
      await(download.writer.verified());
      assertThat(Files.readAllBytes(download.fetch.path())).isEqualTo(blob);
      assertThat(download.fetch.written()).isEqualTo(blob.length);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } finally {
      download.fetch.fail(new IllegalStateException("test over")); // gives back the window, as the cache does
    }
  }

  /** A fetch and its writer, and the test as their pump. */
  private final class Download {
    private final InflightFetch fetch;
    private final BlobWriter writer;
    private Chunk chunk;
    private long received;
    private int chunksSinceDisk;

    Download(byte[] blob) throws Exception {
      fetch = new InflightFetch(digestOf(blob), blob.length, dir.resolve("download-" + System.nanoTime()));
      file = FileChannel.open(fetch.path(), StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
      writer = new BlobWriter(fetch, file, vertx.getOrCreateContext(), disk);
    }

    /** The next {@code piece} bytes of {@code bytes}, into the current chunk, published. */
    void receive(byte[] bytes, int piece) throws InterruptedException {
      if (chunk == null) {
        chunk = fetch.nextChunk(received, pool);
        chunksSinceDisk++;
      }
      long to = Math.min(Math.min(received + piece, chunk.end()), fetch.size());
      chunk.bytes(received, to).put(bytes, (int) received, (int) (to - received));
      received = to;
      fetch.received(received);
      writer.published();
      if (received == chunk.end() || received == fetch.size()) {
        chunk.release();
        chunk = null;
      }
    }

    /**
     * True when one more chunk would not fit in the window unless the disk ran: after it ran, the
     * window still holds the recent chunks and the one being filled.
     */
    boolean windowFull() {
      long heldAfterDisk = InflightFetch.RECENT_BYTES / MIB + 1;
      return chunk == null && chunksSinceDisk >= InflightFetch.CACHED_WINDOW_CHUNKS - heldAfterDisk;
    }

    void diskRan() {
      chunksSinceDisk = 0;
    }

    void fillTheWindow() throws InterruptedException {
      byte[] filler = new byte[InflightFetch.CACHED_WINDOW_CHUNKS * MIB];
      while (received < filler.length) {
        receive(filler, MIB);
      }
    }

    CompletableFuture<Chunk> nextChunkInTheBackground() {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return fetch.nextChunk(received, pool);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }

  /** Every 64 KiB and a few bytes, each received byte is in memory or on disk, and is the blob's. */
  private void assertReadable(InflightFetch fetch, byte[] blob) throws Exception {
    try (FileChannel onDisk = FileChannel.open(fetch.path(), StandardOpenOption.READ)) {
      for (long position = 0; position < fetch.received(); position += 64 * 1024 + 7) {
        ChunkSlice inMemory = fetch.inMemory(position, blob.length);
        int p = (int) position;
        if (inMemory != null) {
          byte[] bytes = new byte[(int) Math.min(16, inMemory.length())]; // a few: the slice starts where asked
          inMemory.bytes().get(bytes);
          inMemory.release();
          assertThat(bytes).as("memory at %d", p).isEqualTo(Arrays.copyOfRange(blob, p, p + bytes.length));
        } else {
          assertThat(position).as("not in memory, so on disk: %d", p).isLessThan(fetch.written());
          ByteBuffer oneByte = ByteBuffer.allocate(1);
          onDisk.read(oneByte, position);
          assertThat(oneByte.get(0)).as("disk at %d", p).isEqualTo(blob[p]);
        }
      }
    }
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
