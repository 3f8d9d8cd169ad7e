package dev.ironcore.boot.web;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.PlatformHttpResponses;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;

/**
 * Runs its route on the Vert.x event loop that received the request. Camel's consumer (4.17 and 4.18
 * alike: {@code VertxPlatformHttpConsumer.handleRequest} is unchanged) hands every exchange to a worker
 * thread ({@code executeBlocking}) and the answer back to the event loop: two thread hops per request,
 * which for a route of in-memory lookups cost more than the route.
 *
 * <p>Only for routes whose every step returns at once (no I/O, no waiting, no lock held for long):
 * a blocked event loop stalls every connection it serves, image downloads included. Routes opt in
 * one by one with {@code platformHttpEngine: "#eventLoopHttpEngine"} ({@link EventLoopHttpEngine}).
 *
 * <p>Everything else is the stock consumer's, in the same order: suspension (503), exchange creation,
 * {@code processHttpRequest} (message, headers), unit of work, Camel's response writer, failure
 * handling and the exchange's release. A route that continues asynchronously is answered back on the
 * event loop.
 */
public class EventLoopHttpConsumer extends VertxPlatformHttpConsumer {
  public EventLoopHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor,
      List<Handler<RoutingContext>> handlers, String routerName) {
    super(endpoint, processor, handlers, routerName);
  }

  @Override
  protected void doInit() throws Exception {
    super.doInit();
    PlatformHttpEndpoint endpoint = getEndpoint();
    if (endpoint.isUseBodyHandler() || endpoint.isUseStreaming() || endpoint.isHttpProxy()) {
      // the stock consumer reads forms, uploads and proxied bodies in steps this class does not repeat
      throw new IllegalArgumentException("platform-http:" + endpoint.getPath()
          + " runs on the event loop, which reads no request body: set useBodyHandler=false");
    }
  }

  @Override
  protected void handleRequest(RoutingContext ctx) {
    if (isSuspended()) {
      ctx.response().setStatusCode(503);
      ctx.end();
      return;
    }
    Context eventLoop = ctx.vertx().getOrCreateContext();
    Exchange exchange = createExchange(false);
    exchange.setPattern(ExchangePattern.InOut);
    processHttpRequest(exchange, ctx).onComplete(read -> {
      if (read.failed()) {
        fail(ctx, exchange, read.cause());
        return;
      }
      boolean doneSync;
      try {
        createUoW(exchange);
        // true: the route has finished and the callback did nothing; else it answers when the route does
        doneSync = getAsyncProcessor().process(exchange, sync -> {
          if (!sync) {
            eventLoop.runOnContext(ignored -> respond(ctx, exchange));
          }
        });
      } catch (Exception e) {
        fail(ctx, exchange, e);
        return;
      }
      if (doneSync) {
        respond(ctx, exchange);
      }
    });
  }

  private void respond(RoutingContext ctx, Exchange exchange) {
    PlatformHttpEndpoint endpoint = getEndpoint();
    PlatformHttpResponses.write(ctx, exchange, endpoint.getHeaderFilterStrategy(), endpoint.isMuteException())
        .onComplete(written -> {
          if (written.succeeded()) {
            complete(exchange);
          } else {
            fail(ctx, exchange, written.cause());
          }
        });
  }

  private void fail(RoutingContext ctx, Exchange exchange, Throwable failure) {
    getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(), failure);
    ctx.fail(failure);
    if (getEndpoint().isHandleWriteResponseError() && failure != null) {
      Exception existing = exchange.getException();
      if (existing != null) {
        failure.addSuppressed(existing);
      }
      exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
      exchange.setException(failure);
    }
    complete(exchange);
  }

  private void complete(Exchange exchange) {
    doneUoW(exchange);
    releaseExchange(exchange, false);
  }
}
