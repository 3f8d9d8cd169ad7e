package dev.ironcore.boot.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.config.SecretWatchSettings;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class InformersSyncedCheckTest {
  @Test
  void isDownNamingTheKindsUntilEveryInformerHasSynced() throws Exception {
    try (MockCluster cluster = new MockCluster();
        KubernetesClient client = cluster.newClient();
        BootConfigIndex index = new BootConfigIndex(client, Duration.ofMinutes(10), SecretWatchSettings.DEFAULT,
            new SimpleMeterRegistry());
        DefaultCamelContext camel = new DefaultCamelContext()) {
      InformersSyncedCheck check = new InformersSyncedCheck(index);
      check.setCamelContext(camel);

      // Given informers that have not started
      HealthCheck.Result before = check.call(Map.of());
      assertThat(before.getState()).isEqualTo(HealthCheck.State.DOWN);
      assertThat(before.getMessage()).hasValueSatisfying(message ->
          assertThat(message).contains("IPXEBootConfig").contains("Server"));

      // When they start and list once
      index.start();

      // Then the check is up
      await().atMost(Duration.ofSeconds(10)).until(() -> check.call(Map.of()).getState() == HealthCheck.State.UP);
      assertThat(check.isReadiness()).isTrue();
      assertThat(check.isLiveness()).isFalse();
    }
  }
}
