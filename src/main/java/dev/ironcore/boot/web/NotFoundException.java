package dev.ironcore.boot.web;

/** 404: Nothing to serve for this request: no matching config, Secret or key. */
public class NotFoundException extends HttpStatusException {
  public NotFoundException(String reason) {
    super(404, reason);
  }
}
