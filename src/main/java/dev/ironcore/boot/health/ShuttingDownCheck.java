package dev.ironcore.boot.health;

import dev.ironcore.boot.connections.ShutdownDrain;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: not ready once the shutdown drain began, so the pod leaves the Service's endpoints. */
public class ShuttingDownCheck extends AbstractHealthCheck {
  private final ShutdownDrain drain;

  public ShuttingDownCheck(ShutdownDrain drain) {
    super("boot", "shutting-down");
    this.drain = drain;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    if (drain.isDraining()) {
      builder.message("shutting down: finishing the answers under way").down();
    } else {
      builder.up();
    }
  }
}
