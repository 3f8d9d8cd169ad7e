package dev.ironcore.boot.blobcache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
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
   * With {@code kernel}, bytes already in the cache's file go to the destination by sendfile through it.
   */
  Future<Void> send(WriteStream<Buffer> destination, Optional<FileSender> kernel, long offset, long length);

  /** Follows the blob to its verified end without sending any byte (a prefetch). */
  Future<Void> whenVerified();

  /** Releases the blob without reading it (HEAD, 416, or an error before sending). */
  void discard();
}
