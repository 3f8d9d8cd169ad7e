package dev.ironcore.boot.health;

import dev.ironcore.boot.connections.ShutdownDrain;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: ready only while the service's own servers take the boot ports' connections. Not before
 * (at start Camel's platform-http server holds the boot port for a moment, without the connection
 * defenses and the shutdown drain), and not once the shutdown drain began, so that the pod leaves the
 * Service's endpoints.
 */
public class ServingCheck extends AbstractHealthCheck {
  private final BooleanSupplier serversStarted;
  private final ShutdownDrain drain;

  public ServingCheck(BooleanSupplier serversStarted, ShutdownDrain drain) {
    super("boot", "serving");
    this.serversStarted = serversStarted;
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
    } else if (!serversStarted.getAsBoolean()) {
      builder.message("starting: the boot ports are not served yet").down();
    } else {
      builder.up();
    }
  }
}
