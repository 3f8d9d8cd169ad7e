package dev.ironcore.boot.blobcache;

import java.nio.file.Path;

/** What a reader follows: how much of a blob's file can be read, and whether it is verified. */
interface BlobProgress {
  /** The file to read; it may move once (download → published), see {@link BlobReader}. */
  Path path();

  /** Bytes written to the file and readable by another file handle. */
  long written();

  /** All bytes written and their sha256 equals the digest: the last byte may be sent. */
  boolean verified();

  /** Non-null once the download failed; readers fail before their last byte. */
  Throwable failure();

  /** Runs {@code listener} once, on any thread, as soon as the state differs from {@code seenWritten}. */
  void awaitChange(long seenWritten, Runnable listener);

  static BlobProgress complete(Path path, long size) {
    return new BlobProgress() {
      @Override
      public Path path() {
        return path;
      }

      @Override
      public long written() {
        return size;
      }

      @Override
      public boolean verified() {
        return true;
      }

      @Override
      public Throwable failure() {
        return null;
      }

      @Override
      public void awaitChange(long seenWritten, Runnable listener) {
        listener.run();
      }
    };
  }
}
