package dev.ironcore.boot.blobcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader across the moment its download is published (its file renamed), fed by sendfile or reading the file. */
class BlobReaderTest {
  @TempDir Path dir;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aReaderThatFindsNoFileWhileItIsMovedIntoPlaceWaitsForTheNewPathAndSendsEveryByte() throws Exception {
    CollectingClient client = readAcrossTheRename(new CollectingClient(vertx).takingFileRegions());
    assertThat(client.regionBytes()).isEqualTo(client.bytes().length); // by sendfile
  }

  @Test
  void soDoesAReaderThatReadsTheFileItself() throws Exception {
    CollectingClient client = readAcrossTheRename(new CollectingClient(vertx));
    assertThat(client.regionBytes()).isZero(); // read into the JVM, as for TLS
  }

  /** Reads a whole blob with {@code client}, starting while its file is renamed into place; returns the client. */
  private CollectingClient readAcrossTheRename(CollectingClient client) throws Exception {
    // Given a download whose every byte is written, caught between the rename of its file and the
    // announcement of the new path
    byte[] blob = TestBlobs.randomBytes(3 * Chunk.BYTES, 21);
    Path published = Files.write(dir.resolve("published"), blob);
    MovingFile progress = new MovingFile(dir.resolve("download.1"), blob.length);
    Context context = vertx.getOrCreateContext();
    Promise<Void> sent = Promise.promise();
    AtomicLong released = new AtomicLong();

    // When a reader starts then, and the new path is announced once it waits
    context.runOnContext(v -> BlobReader.of(new ReaderSetup(context, progress, client.kernel(), released::incrementAndGet,
        (feed, bytes) -> { }), 0, blob.length, blob.length).sendTo(client).onComplete(sent));
    progress.awaitWaiter();
    progress.publish(published);

    // Then it sends the whole blob from the new path, ends, and lets the blob go once
    sent.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(client.bytes()).isEqualTo(blob);
    assertThat(client.ended()).isTrue();
    assertThat(released).hasValue(1);
    return client;
  }

  @Test
  void aPublishedFileThatIsGoneFailsTheReaderInsteadOfWaiting() throws Exception {
    MovingFile progress = new MovingFile(dir.resolve("gone"), 100);
    progress.publish(dir.resolve("gone"));
    CollectingClient client = new CollectingClient(vertx).takingFileRegions();
    Context context = vertx.getOrCreateContext();
    Promise<Void> sent = Promise.promise();

    context.runOnContext(v -> BlobReader.of(new ReaderSetup(context, progress, client.kernel(), () -> { },
        (feed, bytes) -> { }), 0, 100, 100).sendTo(client).onComplete(sent));

    Future<Void> outcome = sent.future();
    await().atMost(Duration.ofSeconds(10)).until(outcome::isComplete);
    assertThat(outcome.failed()).isTrue();
    assertThat(outcome.cause()).isInstanceOf(FileNotFoundException.class);
    assertThat(client.ended()).isFalse();
  }

  /** Every byte written to a file that is not there (renamed away) until {@link #publish} names its new path. */
  private static final class MovingFile implements BlobProgress {
    private final long size;
    private final List<Runnable> waiters = new ArrayList<>();
    private Path path;
    private boolean verified;

    MovingFile(Path path, long size) {
      this.path = path;
      this.size = size;
    }

    /** Until a reader waits for the new path; fails after 10 s (a reader that gave up instead). */
    synchronized void awaitWaiter() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (waiters.isEmpty()) {
        long left = deadline - System.nanoTime();
        assertThat(left).as("a reader waiting for the new path").isPositive();
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    void publish(Path publishedPath) {
      List<Runnable> toWake;
      synchronized (this) {
        path = publishedPath;
        verified = true;
        toWake = List.copyOf(waiters);
        waiters.clear();
      }
      toWake.forEach(Runnable::run);
    }

    @Override
    public synchronized Path path() {
      return path;
    }

    @Override
    public long written() {
      return size;
    }

    @Override
    public long received() {
      return size;
    }

    @Override
    public ChunkSlice inMemory(long position, long limit) {
      return null;
    }

    @Override
    public synchronized boolean verified() {
      return verified;
    }

    @Override
    public Throwable failure() {
      return null;
    }

    @Override
    public void awaitChange(long seenReceived, long seenWritten, Runnable listener) {
      synchronized (this) {
        if (!verified) {
          waiters.add(listener);
          notifyAll();
          return;
        }
      }
      listener.run();
    }
  }
}
