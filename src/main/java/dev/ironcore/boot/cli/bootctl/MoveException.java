package dev.ironcore.boot.cli.bootctl;

/** A move that failed (exit 1); the message says what and where, never a Secret's data. */
final class MoveException extends RuntimeException {
  MoveException(String message) {
    super(message);
  }
}
