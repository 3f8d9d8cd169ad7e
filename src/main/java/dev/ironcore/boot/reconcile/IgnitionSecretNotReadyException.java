package dev.ironcore.boot.reconcile;

/** The config is in Error because of its Ignition Secret; thrown so that the key is retried with backoff. */
public class IgnitionSecretNotReadyException extends RuntimeException {
  public IgnitionSecretNotReadyException(String message) {
    super(message);
  }
}
