package dev.ironcore.boot.blobcache;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;

/** The blob's bytes {@code [from, to)} in one chunk, holding a reference to it until {@link #release()}. */
record ChunkSlice(Chunk chunk, long from, long to) {
  ByteBuffer bytes() {
    return chunk.bytes(from, to);
  }

  Buffer buffer() {
    return chunk.buffer(from, to);
  }

  long length() {
    return to - from;
  }

  void release() {
    chunk.release();
  }
}
