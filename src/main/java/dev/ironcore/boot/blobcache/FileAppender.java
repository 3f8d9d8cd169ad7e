package dev.ironcore.boot.blobcache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The writing stage of a {@link BlobWriter}: appends a download's bytes to its file straight from the
 * chunks' aligned memory, with one gathering write per batch. Direct writes must be whole blocks: the
 * bytes of a last partial block wait for more, and after the last byte that block is written padded
 * with whatever follows it in its chunk, then the file is cut back to size.
 */
final class FileAppender implements BlobWriter.StageWork {
  private final InflightFetch fetch;
  private final FileChannel file;
  /** 1 when writes of any length go (no direct I/O). */
  private final int blockSize;

  FileAppender(InflightFetch fetch, DiskStore.DownloadFile file) {
    this.fetch = fetch;
    this.file = file.channel();
    this.blockSize = file.blockSize();
  }

  @Override
  public long target() {
    return alignDown(fetch.received());
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
    long size = fetch.size();
    long tail = alignDown(size);
    if (tail < size) {
      List<ChunkSlice> padded = fetch.slices(tail, tail + blockSize);
      try {
        process(padded);
      } finally {
        padded.forEach(ChunkSlice::release);
      }
      file.truncate(size);
    }
    file.close();
    fetch.written(size);
  }

  /** Closes the file under a stage that may still write: its write then fails with a closed channel. */
  void close() throws IOException {
    file.close();
  }

  private long alignDown(long position) {
    return position - position % blockSize;
  }
}
