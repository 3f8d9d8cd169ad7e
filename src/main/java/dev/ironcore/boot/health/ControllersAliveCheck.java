package dev.ironcore.boot.health;

import dev.ironcore.boot.reconcile.Controllers;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness: down when a controller that consumes has work but finishes no reconcile within the
 * stall timeout. A leader whose reconciles hang still renews its Lease, so it must be restarted for
 * another replica to take over.
 */
public class ControllersAliveCheck extends AbstractHealthCheck {
  private final Controllers controllers;

  public ControllersAliveCheck(Controllers controllers) {
    super("boot", "controllers-alive");
    this.controllers = controllers;
  }

  @Override
  public boolean isReadiness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    Map<String, String> stalled = controllers.stalled();
    if (stalled.isEmpty()) {
      builder.up();
    } else {
      builder.message("controllers stalled: " + stalled.entrySet().stream()
          .map(entry -> entry.getKey() + " (" + entry.getValue() + ")").collect(Collectors.joining(", "))).down();
    }
  }
}
