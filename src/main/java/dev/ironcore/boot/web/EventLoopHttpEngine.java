package dev.ironcore.boot.web;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The platform-http engine of routes that run on the event loop ({@link EventLoopHttpConsumer}). A
 * route opts in with the endpoint parameter {@code platformHttpEngine: "#eventLoopHttpEngine"}; every
 * other route keeps the default engine and runs on a worker thread.
 */
public class EventLoopHttpEngine extends PortBoundHttpEngine {
  /** The registry name routes refer to. */
  public static final String NAME = "eventLoopHttpEngine";

  public EventLoopHttpEngine(int port) {
    super(port);
  }

  @Override
  public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
    return new EventLoopHttpConsumer(endpoint, processor, getHandlers(),
        VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
  }
}
