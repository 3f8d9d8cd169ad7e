package dev.ironcore.boot.blobcache;

/**
 * A blob download under way: its announced size ({@code Content-Length}; fewer or more bytes fail
 * verification) and its body, not yet read.
 */
public record UpstreamBlob(long size, BlobBody body) {
  public UpstreamBlob {
    if (size < 0) {
      throw new IllegalArgumentException("a blob's size must be known to verify and cache it");
    }
  }

  /** Stops the download and frees its connection. */
  public void cancel() {
    body.close();
  }
}
