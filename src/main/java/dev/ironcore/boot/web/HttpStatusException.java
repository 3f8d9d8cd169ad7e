package dev.ironcore.boot.web;

/** A request that ends with a given HTTP status and a one-line reason safe to show the client. */
public class HttpStatusException extends RuntimeException {
  private final int status;

  public HttpStatusException(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
