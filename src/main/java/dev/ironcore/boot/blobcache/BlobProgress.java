package dev.ironcore.boot.blobcache;

import java.nio.file.Path;

/** What a reader follows: how much of a blob's file can be read, and whether it is verified. */
interface BlobProgress {
  /** The file to read; it may move once (download → published), see {@link BlobReader}; null for a blob that is never stored. */
  Path path();

  /** Bytes written to the file and readable by another file handle. */
  long written();

  /** Bytes that can be read: on disk, or received and still in memory ({@link #inMemory}). */
  long received();

  /**
   * Bytes from {@code position} (at most up to {@code limit}) still held in memory, with a reference
   * the caller releases once it sent them; null when they are only on disk (or not there yet).
   */
  ChunkSlice inMemory(long position, long limit);

  /** All bytes written and their sha256 equals the digest: the last byte may be sent. */
  boolean verified();

  /** Non-null once the download failed; readers fail before their last byte. */
  Throwable failure();

  /** A reader that still wants the bytes {@code [from, to)}: the download may wait for the leading one. */
  default void readerAt(Object reader, long from, long to) {
  }

  /** The reader, that still wants {@code [from, to)}, has only its held-back last byte left: it waits for the verification. */
  default void readerAwaitsVerification(Object reader, long from, long to) {
  }

  /** The reader wants no more bytes from the download (closed). */
  default void readerDone(Object reader) {
  }

  /**
   * Runs {@code listener} once, on any thread, as soon as the state differs from what was seen: more
   * received or written, verified, or failed.
   */
  void awaitChange(long seenReceived, long seenWritten, Runnable listener);

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
      public long received() {
        return size;
      }

      @Override
      public ChunkSlice inMemory(long position, long limit) {
        return null;
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
      public void awaitChange(long seenReceived, long seenWritten, Runnable listener) {
        listener.run();
      }
    };
  }
}
