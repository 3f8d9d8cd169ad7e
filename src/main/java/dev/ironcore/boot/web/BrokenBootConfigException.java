package dev.ironcore.boot.web;

/** 500: A boot config holds a value that must not be served (the reason names it). */
public class BrokenBootConfigException extends HttpStatusException {
  public BrokenBootConfigException(String reason) {
    super(500, reason);
  }
}
