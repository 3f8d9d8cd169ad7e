package dev.ironcore.boot.blobcache;

import java.io.IOException;

/** The cache's own disk failed (full, read-only, I/O error): not the registry, not the blob's bytes. */
final class CacheDiskException extends IOException {
  CacheDiskException(IOException cause) {
    super(cause.toString(), cause);
  }

  /** True when {@code failure} or one of its causes is a failure of the cache's disk. */
  static boolean in(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CacheDiskException) {
        return true;
      }
    }
    return false;
  }
}
