package dev.ironcore.boot.web;

/** 501: The request needs a capability this build does not have yet. */
public class NotImplementedException extends HttpStatusException {
  public NotImplementedException(String reason) {
    super(501, reason);
  }
}
