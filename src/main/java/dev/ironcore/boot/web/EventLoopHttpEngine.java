package dev.ironcore.boot.web;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The platform-http engine of routes that run on the event loop ({@link EventLoopHttpConsumer}). A
 * route opts in with the endpoint parameter {@code platformHttpEngine: "#eventLoopHttpEngine"}; every
 * other route keeps Camel's default engine and runs on a worker thread.
 */
public class EventLoopHttpEngine extends VertxPlatformHttpEngine {
  /** The registry name routes refer to. */
  public static final String NAME = "eventLoopHttpEngine";

  private final int port;

  /** {@code port}: the configured port of Camel's server, whose router the routes join. */
  public EventLoopHttpEngine(int port) {
    this.port = port;
  }

  @Override
  protected void doInit() {
    // super.doInit() would bind this engine as the default one, under Camel's global engine name
  }

  @Override
  public int getServerPort() {
    return port;
  }

  @Override
  public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
    return new EventLoopHttpConsumer(endpoint, processor, getHandlers(),
        VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
  }
}
