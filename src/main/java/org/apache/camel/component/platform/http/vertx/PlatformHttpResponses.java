package org.apache.camel.component.platform.http.vertx;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Ours, not Camel's: opens Camel's package-private response writer to
 * {@code dev.ironcore.boot.web.EventLoopHttpConsumer}, so that consumer answers exactly as the stock
 * {@link VertxPlatformHttpConsumer} does (headers through the filter strategy, status, Content-Length,
 * body by type, exceptions). Nothing else belongs in Camel's package.
 */
public final class PlatformHttpResponses {
  private PlatformHttpResponses() {}

  /** {@link VertxPlatformHttpSupport#writeResponse}: the exchange's message as the HTTP response. */
  public static Future<Void> write(RoutingContext ctx, Exchange exchange, HeaderFilterStrategy headerFilterStrategy,
      boolean muteExceptions) {
    return VertxPlatformHttpSupport.writeResponse(ctx, exchange, headerFilterStrategy, muteExceptions);
  }
}
