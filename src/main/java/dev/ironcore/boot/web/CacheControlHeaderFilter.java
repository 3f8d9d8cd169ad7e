package dev.ironcore.boot.web;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * Camel's HTTP header filter, except that a route's {@code Cache-Control} reaches the client: Camel drops
 * it by default, and the endpoints that may answer with a machine's secrets must say {@code no-store}.
 */
public class CacheControlHeaderFilter extends HttpHeaderFilterStrategy {
  public static final String NAME = "cacheControlHeaderFilter";

  @Override
  protected void initialize() {
    super.initialize();
    getOutFilter().remove("cache-control");
  }
}
