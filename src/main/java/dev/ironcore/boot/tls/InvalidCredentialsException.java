package dev.ironcore.boot.tls;

/** A certificate and key that cannot be served; the message names both files, never their content. */
public class InvalidCredentialsException extends RuntimeException {
  InvalidCredentialsException(PemFiles files, String why) {
    super("TLS " + files.names() + ": " + why);
  }
}
