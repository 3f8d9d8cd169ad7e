package dev.ironcore.boot.blobcache;

/** Where a {@link BlobReader}'s next bytes come from; counted per feed in {@code blob_cache_sent_bytes}. */
enum BlobFeed {
  /**
   * A reader fed through the JVM (a TLS destination, or a blob streamed through uncached) takes bytes
   * still held in memory straight from the chunks they arrived in.
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
