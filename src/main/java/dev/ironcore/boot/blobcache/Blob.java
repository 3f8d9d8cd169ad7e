package dev.ironcore.boot.blobcache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A blob ready to be sent, from disk or being downloaded. It stays on disk (is not evicted) until
 * it was sent, failed, or {@link #discard()}ed: call exactly one of {@link #send}, {@link #whenVerified}
 * or {@link #discard()}.
 */
public interface Blob {
  BlobDigest digest();

  /** The whole blob's size, for {@code Content-Length} and {@code Range}. */
  long size();

  /** True when served from disk without asking the registry. */
  boolean fromCache();

  /**
   * Sends the bytes {@code [offset, offset + length)} and ends {@code destination}, only once the
   * whole blob is verified. Fails before the last byte when the blob does not match or the
   * destination fails (a client gone), leaving the destination un-ended for the caller to reset.
   * Each buffer written is valid until its write completes: a destination that keeps one longer copies it.
   */
  Future<Void> send(WriteStream<Buffer> destination, long offset, long length);

  /** Follows the blob to its verified end without sending any byte (a prefetch). */
  Future<Void> whenVerified();

  /** Releases the blob without reading it (HEAD, 416, or an error before sending). */
  void discard();

  /**
   * The verified file of a blob published in the cache, for zero-copy sending; empty while it is
   * being downloaded or with the cache off. The file stays (is not evicted) until {@link #discard()},
   * which the caller owes once the send is over.
   */
  default Optional<Path> publishedFile() {
    return Optional.empty();
  }

  /** Counts bytes the caller sent from {@link #publishedFile()} itself. */
  default void sentFromFile(long bytes) {
  }
}
