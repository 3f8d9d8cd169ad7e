package dev.ironcore.boot.oci;

/** An image reference that does not follow the Docker reference grammar; the message says why. */
public class InvalidImageReferenceException extends IllegalArgumentException {
  public InvalidImageReferenceException(String reference, String reason) {
    super("invalid image reference \"" + reference + "\": " + reason);
  }
}
