package dev.ironcore.boot.reconcile.sbc;

/** An SBC's image cannot be booted (or read right now); the message goes into {@code ImageValidation}. */
public class ImageValidationException extends RuntimeException {
  public ImageValidationException(String message) {
    super(message);
  }
}
