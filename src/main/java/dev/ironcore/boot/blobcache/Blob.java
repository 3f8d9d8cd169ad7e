package dev.ironcore.boot.blobcache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A blob ready to be sent, from disk or being downloaded. It stays on disk (is not evicted) until
 * its reader ends, fails or is closed, or until {@link #discard()}: call exactly one of
 * {@link #read} or {@link #discard()}.
 */
public interface Blob {
  BlobDigest digest();

  /** The whole blob's size, for {@code Content-Length} and {@code Range}. */
  long size();

  /** True when served from disk without asking the registry. */
  boolean fromCache();

  /**
   * The bytes {@code [offset, offset + length)}, ending only once the whole blob is verified (else
   * failing before the last byte). Pipe it with {@code pipeTo(response)}: that closes the reader when
   * the client goes away and leaves the response un-ended on failure, for the caller to reset.
   */
  ReadStream<Buffer> read(long offset, long length);

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
