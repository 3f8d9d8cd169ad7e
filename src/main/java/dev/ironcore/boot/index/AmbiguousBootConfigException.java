package dev.ironcore.boot.index;

/** Several boot configs match one machine and the selection policy cannot choose among them. */
public class AmbiguousBootConfigException extends RuntimeException {
  public AmbiguousBootConfigException(String message) {
    super(message);
  }
}
