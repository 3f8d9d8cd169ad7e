package dev.ironcore.boot.health;

import dev.ironcore.boot.index.BootConfigIndex;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: not ready until every informer has listed its kind once. */
public class InformersSyncedCheck extends AbstractHealthCheck {
  private final BootConfigIndex index;

  public InformersSyncedCheck(BootConfigIndex index) {
    super("boot", "informers-synced");
    this.index = index;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    if (index.hasSynced()) {
      builder.up();
    } else {
      builder.message("informers not synced: " + String.join(", ", index.unsyncedKinds())).down();
    }
  }
}
