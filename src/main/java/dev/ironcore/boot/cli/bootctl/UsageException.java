package dev.ironcore.boot.cli.bootctl;

/** A command line that cannot be run (exit 2); the message names the flag or argument. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
