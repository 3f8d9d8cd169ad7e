package dev.ironcore.boot.blobcache;

/** Where a {@link BlobReader}'s next bytes come from; counted per feed in {@code blob_cache_sent_bytes}. */
enum BlobFeed {
  /**
   * Received but not in the file yet: straight from the chunks they arrived in (the reader at the very
   * front of a download).
   */
  MEMORY("memory"),
  /**
   * In the file, which is in the page cache (downloads are written through it), and the destination
   * takes a file region: the kernel copies them (sendfile), the JVM never touches them.
   */
  SENDFILE("sendfile"),
  /** In the file, but the destination takes only buffers (TLS): read on a worker, a piece at a time. */
  FILE_READS("file-reads");

  private final String label;

  BlobFeed(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
