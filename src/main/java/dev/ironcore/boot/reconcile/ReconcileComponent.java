package dev.ironcore.boot.reconcile;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code reconcile:<controller>}: a consumer that takes the controller's queued keys and sends one
 * exchange per key (body = {@code namespace/name}); an exception in the route means a retry with
 * backoff. Each controller is thereby a route with its exchanges, failures and timings in JMX.
 */
public class ReconcileComponent extends DefaultComponent {
  private final Controllers controllers;

  public ReconcileComponent(Controllers controllers) {
    this.controllers = controllers;
  }

  @Override
  protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
    ReconcileEndpoint endpoint = new ReconcileEndpoint(uri, this, controllers.get(remaining));
    setProperties(endpoint, parameters);
    return endpoint;
  }
}
