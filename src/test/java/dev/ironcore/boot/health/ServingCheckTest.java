package dev.ironcore.boot.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.connections.ShutdownDrain;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class ServingCheckTest {
  @Test
  void isReadyOnlyBetweenTheServersTakingThePortsOverAndTheDrain() throws Exception {
    AtomicBoolean started = new AtomicBoolean();
    ShutdownDrain drain = new ShutdownDrain();
    try (DefaultCamelContext camel = new DefaultCamelContext()) {
      ServingCheck check = new ServingCheck(started::get, drain);
      check.setCamelContext(camel);

      assertDown(check.call(Map.of()), "starting: the boot ports are not served yet");
      started.set(true);
      assertThat(check.call(Map.of()).getState()).isEqualTo(HealthCheck.State.UP);
      drain.begin();
      assertDown(check.call(Map.of()), "shutting down: finishing the answers under way");
      assertThat(check.isReadiness()).isTrue();
      assertThat(check.isLiveness()).isFalse();
    }
  }

  private static void assertDown(HealthCheck.Result result, String message) {
    assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
    assertThat(result.getMessage()).hasValue(message);
  }
}
