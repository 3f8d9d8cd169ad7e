package dev.ironcore.boot.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What the router answers itself, before any route runs: Vert.x refuses a path it cannot normalise
 * (a malformed percent-escape) with a bare "Bad Request". Here that answer says what was wrong, in
 * the words {@link RequestPath} uses for the same fault in an image path.
 */
public final class RouterErrors {
  private RouterErrors() {}

  public static void register(Router router) {
    router.errorHandler(400, RouterErrors::badRequest);
  }

  private static void badRequest(RoutingContext context) {
    String reason = "Bad Request: the request path must start with '/'";
    try {
      RequestPath.decodeOnce(context.request().path());
    } catch (HttpStatusException pathFault) {
      reason = pathFault.getMessage();
    }
    if (!context.response().headWritten()) {
      context.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
          .putHeader("X-Content-Type-Options", "nosniff").end(reason + "\n");
    }
  }
}
