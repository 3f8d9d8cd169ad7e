package dev.ironcore.boot.web;

/** 403: the client may not have what it asked for; the reason says what would let it. */
public class ForbiddenException extends HttpStatusException {
  public ForbiddenException(String reason) {
    super(403, reason);
  }
}
