package dev.ironcore.boot.blobcache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A blob download under way.
 *
 * @param size the announced size ({@code Content-Length}); fewer or more bytes fail verification
 * @param body the bytes, e.g. a Vert.x {@code HttpClientResponse}
 * @param cancel stops the download and frees its connection (e.g. {@code request.reset()})
 */
public record UpstreamBlob(long size, ReadStream<Buffer> body, Runnable cancel) {
  public UpstreamBlob {
    if (size < 0) {
      throw new IllegalArgumentException("a blob's size must be known to verify and cache it");
    }
  }
}
