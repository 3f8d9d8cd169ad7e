package dev.ironcore.boot.blobcache;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A blob's bytes as they come from the registry, read with blocking calls by one thread at a time. */
public interface BlobBody {
  /** Reads into {@code destination}, blocking until at least one byte is there; -1 at the body's end. */
  int read(ByteBuffer destination) throws IOException;

  /** Bytes that {@link #read} would return now without blocking (0 when none or unknown). */
  int available() throws IOException;

  /** Stops the transfer and frees its connection; from any thread, a blocked read then fails. Idempotent. */
  void close();
}
