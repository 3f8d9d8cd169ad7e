package dev.ironcore.boot.blobcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-behind race of the single-flight test: Vert.x runs each AsyncFile write on a worker
 * thread, so a later chunk's write can complete before an earlier one's. Readers that were told of
 * the later chunk read the hole before it (zeros): wrong bytes. Here the first write is held back
 * until the second completed, every time, so counting completions instead of the written prefix fails.
 */
class BlobWriterOrderTest {
  private static final int CHUNK = 64 * 1024;

  @TempDir Path dir;
  private Vertx vertx;
  private final AtomicReference<Throwable> wrongPrefix = new AtomicReference<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void readersLearnOnlyOfTheContiguousPrefixWhenWritesCompleteOutOfOrder() throws Exception {
    // Given a two-chunk blob whose first chunk reaches the disk only after the second
    byte[] blob = new byte[2 * CHUNK];
    new Random(11).nextBytes(blob);
    Path file = dir.resolve("download");
    InflightFetch fetch = new InflightFetch(digestOf(blob), blob.length, file);
    AsyncFile real = await(vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true)));
    Promise<Void> secondWritten = Promise.promise();
    BlobWriter writer = new BlobWriter(firstWriteAfterSecond(real, secondWritten.future()), fetch);

    // When both chunks are written, the reader checking the file each time it is told of progress
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> {
      watch(fetch, file, blob, 0);
      writer.write(Buffer.buffer(Arrays.copyOfRange(blob, 0, CHUNK)));
      writer.write(Buffer.buffer(Arrays.copyOfRange(blob, CHUNK, 2 * CHUNK))).onComplete(secondWritten)
          .compose(v2 -> writer.end()).onComplete(done);
    });
    await(done.future());

    // Then every prefix announced was on disk with the blob's bytes, and all of it was announced
    assertThat(wrongPrefix.get()).isNull();
    assertThat(fetch.written()).isEqualTo(blob.length);
    assertThat(Files.readAllBytes(file)).isEqualTo(blob);
  }

  /** Asserts, at every change, that the announced prefix of the file is the blob's. */
  private void watch(InflightFetch fetch, Path file, byte[] blob, long seen) {
    fetch.awaitChange(seen, () -> {
      long written = fetch.written();
      try {
        byte[] onDisk = Arrays.copyOf(Files.readAllBytes(file), (int) written);
        assertThat(onDisk).as("the first %d bytes announced to readers", written)
            .isEqualTo(Arrays.copyOf(blob, (int) written));
      } catch (java.io.IOException | AssertionError e) {
        wrongPrefix.compareAndSet(null, e); // thrown here it would only reach the writer's callback
      }
      if (written < blob.length) {
        watch(fetch, file, blob, written);
      }
    });
  }

  /** An AsyncFile whose first {@code write(Buffer)} starts only once {@code second} completed. */
  private static AsyncFile firstWriteAfterSecond(AsyncFile real, Future<Void> second) {
    long[] writes = {0};
    return (AsyncFile) Proxy.newProxyInstance(AsyncFile.class.getClassLoader(), new Class<?>[] {AsyncFile.class},
        (proxy, method, args) -> {
          if (method.getName().equals("write") && args.length == 1 && writes[0]++ == 0) {
            Buffer first = (Buffer) args[0];
            return second.compose(v -> real.write(first, 0));
          }
          if (method.getName().equals("write") && args.length == 1) {
            return real.write((Buffer) args[0], CHUNK);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static BlobDigest digestOf(byte[] bytes) throws Exception {
    return new BlobDigest(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
  }
}
