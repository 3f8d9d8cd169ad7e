package dev.ironcore.boot.blobcache;

import io.vertx.core.Context;
import java.util.Optional;

/**
 * What a {@link BlobReader} needs besides its range.
 *
 * @param context where the reader's callbacks run (the request's event loop)
 * @param progress the file to read and how far it may be read
 * @param kernel sends file regions to the destination (sendfile); empty when it takes only buffers
 * @param release called once when the reader closes: unpins the blob
 * @param sent counts the bytes handed to the client, by feed
 */
record ReaderSetup(Context context, BlobProgress progress, Optional<FileSender> kernel, Runnable release, SentBytes sent) {
  /** Counts bytes sent. */
  @FunctionalInterface
  interface SentBytes {
    void sent(BlobFeed feed, long bytes);
  }
}
