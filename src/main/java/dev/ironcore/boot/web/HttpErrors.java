package dev.ironcore.boot.web;

import dev.ironcore.boot.index.AmbiguousBootConfigException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the exception that ended a boot request into a status code and a one-line plain-text
 * reason, the way Go's {@code http.Error} writes it. Never a stack trace in the body; unexpected
 * failures are logged here with theirs.
 */
public class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  public void respond(Exchange exchange) {
    Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    int status;
    String reason;
    if (error instanceof HttpStatusException known) {
      status = known.status();
      reason = known.getMessage();
    } else if (error instanceof AmbiguousBootConfigException ambiguous) {
      status = 409;
      reason = ambiguous.getMessage();
    } else {
      status = 500;
      reason = "Internal Server Error";
      LOG.error("Unexpected failure in route {}", exchange.getFromRouteId(), error);
    }
    var message = exchange.getMessage();
    message.removeHeaders("*");
    message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
    message.setHeader("X-Content-Type-Options", "nosniff");
    // an error of /ignition or /ipxe/{uuid} is about one machine's config: no cache keeps it either
    // (those routes let Cache-Control through: CacheControlHeaderFilter)
    message.setHeader("Cache-Control", BootResponses.NO_STORE);
    message.setBody(oneLine(reason).concat("\n").getBytes(StandardCharsets.UTF_8));
  }

  private static String oneLine(String reason) {
    return reason == null ? "" : reason.replaceAll("[\\p{Cntrl}]+", " ").trim();
  }
}
