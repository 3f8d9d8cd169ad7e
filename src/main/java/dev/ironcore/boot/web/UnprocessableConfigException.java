package dev.ironcore.boot.web;

/** 422: The stored configuration exists but cannot be turned into a response. */
public class UnprocessableConfigException extends HttpStatusException {
  public UnprocessableConfigException(String reason) {
    super(422, reason);
  }
}
