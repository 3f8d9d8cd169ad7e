package dev.ironcore.boot.web;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * A platform-http engine pinned to one port. Camel 4.17 looks the port up by type and falls back to
 * 8080 when the management server binds a second router (CAMEL-NOTES §2); naming it fixes that.
 */
public class PortBoundHttpEngine extends VertxPlatformHttpEngine {
  private final int port;

  public PortBoundHttpEngine(int port) {
    this.port = port;
  }

  @Override
  protected void doInit() {
    // super.doInit() would bind this engine under the global name a second time
  }

  @Override
  public int getServerPort() {
    return port;
  }
}
