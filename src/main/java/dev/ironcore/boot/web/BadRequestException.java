package dev.ironcore.boot.web;

/** 400: The request itself is malformed (an unusable UUID, a bad parameter). */
public class BadRequestException extends HttpStatusException {
  public BadRequestException(String reason) {
    super(400, reason);
  }
}
