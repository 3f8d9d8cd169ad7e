package dev.ironcore.boot.blobcache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The writing stage of a {@link BlobWriter}: appends a download's bytes to its file straight from the
 * chunks' memory, with one gathering write per batch.
 */
final class FileAppender implements BlobWriter.StageWork {
  private final InflightFetch fetch;
  private final FileChannel file;

  FileAppender(InflightFetch fetch, FileChannel file) {
    this.fetch = fetch;
    this.file = file;
  }

  @Override
  public long target() {
    return fetch.received();
  }

  @Override
  public void process(List<ChunkSlice> slices) throws IOException {
    ByteBuffer[] blocks = slices.stream().map(ChunkSlice::bytes).toArray(ByteBuffer[]::new);
    long left = slices.stream().mapToLong(ChunkSlice::length).sum();
    while (left > 0) {
      left -= file.write(blocks);
    }
  }

  @Override
  public void reached(long position) {
    fetch.written(position);
  }

  @Override
  public void last() throws IOException {
    file.close();
  }

  /** Closes the file under a stage that may still write: its write then fails with a closed channel. */
  void close() throws IOException {
    file.close();
  }
}
