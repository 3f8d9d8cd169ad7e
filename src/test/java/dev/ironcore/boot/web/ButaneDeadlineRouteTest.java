package dev.ironcore.boot.web;

import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** boot.butane-timeout and boot.butane-max-bytes reach the service: its answers, status and metrics. */
class ButaneDeadlineRouteTest {
  private static final String SLOW_UUID = "b07a4e00-0000-4000-8000-000000000001";
  private static final String LARGE_UUID = "b07a4e00-0000-4000-8000-000000000002";

  private static MockCluster cluster;
  private static KubernetesClient client;
  private static BootServiceUnderTest service;

  @BeforeAll
  static void startService() throws Exception {
    cluster = new MockCluster();
    client = cluster.newClient();
    StringBuilder slow = new StringBuilder("variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n");
    for (int i = 0; slow.length() < 400 * 1024; i++) {
      slow.append("    - path: /etc/f").append(i).append("\n      contents:\n        inline: x\n");
    }
    machine("slow", SLOW_UUID, slow.toString());
    machine("large", LARGE_UUID, "variant: fcos\nversion: 1.5.0\n# " + "x".repeat(600 * 1024) + "\n");
    service = BootServiceUnderTest.startSynced(ClusterConnection.external(cluster.newClient()), Map.of(
        "boot.ipxe-service-url", "http://boot.example:8082",
        "boot.butane-timeout", "1ms",
        "boot.butane-max-bytes", "512Ki"));
  }

  @AfterAll
  static void stopService() throws Exception {
    service.close();
    client.close();
    cluster.close();
  }

  private static void machine(String name, String uuid, String butane) {
    client.resource(secret(name, Map.of("format", "fcos", "ignition", butane))).create();
    IPXEBootConfig config = ipxeConfig(name, uuid, "http://k/kernel", "http://k/initrd", null);
    config.getSpec().setIgnitionSecretRef(ref(name));
    client.resource(config).create();
  }

  @Test
  void aTranslationPastTheDeadlineAnswers422AndItsStatusAndMetricSaySo() throws Exception {
    // Until a thread takes it up within 1 ms the answer may be 503 (not cached); once one ran, 422 for good
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> answer = service.get("/ignition/" + SLOW_UUID);
      assertThat(answer.statusCode()).isEqualTo(422);
      assertThat(answer.body()).isEqualTo("Butane translation failed: Butane translation did not finish within 1 ms;"
          + " the config is too large or complex to translate\n");
    });
    HttpResponse<String> again = service.get("/ignition/" + SLOW_UUID);
    assertThat(again.statusCode()).isEqualTo(422);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Condition ready = Conditions.find(conditions("slow"), "IgnitionSecretReady");
      assertThat(ready).isNotNull();
      assertThat(ready.getMessage()).contains("did not finish within 1 ms");
    });
    assertThat(service.metricsText())
        .contains("boot_butane_translations_total{result=\"timeout\"} 1.0");
  }

  @Test
  void aConfigOverTheSizeBoundAnswers422NamingTheBound() throws Exception {
    HttpResponse<String> answer = service.get("/ignition/" + LARGE_UUID);

    assertThat(answer.statusCode()).isEqualTo(422);
    assertThat(answer.body()).startsWith("Butane translation failed: config is too large: ")
        .endsWith(" bytes, the limit is 524288\n");
  }

  private static List<Condition> conditions(String name) {
    IPXEBootConfig config = client.resources(IPXEBootConfig.class).inNamespace(Fixtures.NAMESPACE).withName(name).get();
    return config.getStatus() == null ? List.of() : config.getStatus().getConditions();
  }
}
