package dev.ironcore.boot.web;

/** 503: The endpoint is switched off by configuration. */
public class ServiceUnavailableException extends HttpStatusException {
  public ServiceUnavailableException(String reason) {
    super(503, reason);
  }
}
