package dev.ironcore.boot.blobcache;

/** The bytes of a blob are not the ones its digest names: never served whole, never cached. */
public class BlobVerificationException extends RuntimeException {
  public BlobVerificationException(String reason) {
    super(reason, null, false, false);
  }
}
