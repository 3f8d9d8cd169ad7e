package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.web.HttpStatusException;
import java.time.Duration;

/** A request refused because the service is busy now: the answer says when to try again ({@code Retry-After}). */
final class RetryLaterException extends HttpStatusException {
  private final Duration retryAfter;

  RetryLaterException(int status, String reason, Duration retryAfter) {
    super(status, reason);
    this.retryAfter = retryAfter;
  }

  Duration retryAfter() {
    return retryAfter;
  }
}
