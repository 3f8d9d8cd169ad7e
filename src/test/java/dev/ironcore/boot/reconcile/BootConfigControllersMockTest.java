package dev.ironcore.boot.reconcile;

import static dev.ironcore.boot.testing.Fixtures.NAMESPACE;
import static dev.ironcore.boot.testing.Fixtures.httpConfig;
import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ref;
import static dev.ironcore.boot.testing.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.config.ReconcileTiming;
import dev.ironcore.boot.config.SecretWatchSettings;
import dev.ironcore.boot.delivery.Delivery;
import dev.ironcore.boot.delivery.DeliveryConditions;
import dev.ironcore.boot.ignition.butane.ButaneException;
import dev.ironcore.boot.ignition.butane.ButaneTranslator;
import dev.ironcore.boot.oci.RegistryAllowList;
import dev.ironcore.boot.reconcile.sbc.BootImages;
import dev.ironcore.boot.testing.ControllerHarness;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two boot-config controllers against the CRUD mock API with our CRDs: real informers, the
 * real work queues and the routes of controllers.camel.yaml, with millisecond retries. (The SBC
 * controller runs too, with no SBCs to reconcile.)
 */
class BootConfigControllersMockTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ReconcileTiming FAST =
      new ReconcileTiming(Duration.ofMillis(20), 1.5, Duration.ofMillis(200), Duration.ofMinutes(10));
  private static final String IGNITION = "{\"ignition\":{\"version\":\"3.3.0\"}}";

  private final AtomicInteger statusWrites = new AtomicInteger();
  /** Runs once, just before the next status write (to make it conflict). */
  private final AtomicReference<Runnable> beforeNextWrite = new AtomicReference<>();
  private MockCluster cluster;
  private KubernetesClient client;
  private ControllerHarness harness;
  private SimpleMeterRegistry metrics;

  @BeforeEach
  void startControllers() throws Exception {
    cluster = new MockCluster();
    client = cluster.newClient();
    harness = new ControllerHarness(client, FAST, countingWriter(new JsonPatchStatusWriter(client)),
        new BootImages(null, new RegistryAllowList(List.of(), List.of()), "amd64", Set.of()));
    metrics = harness.metrics();
  }

  private StatusWriter countingWriter(StatusWriter real) {
    return (config, status) -> {
      Runnable interference = beforeNextWrite.getAndSet(null);
      if (interference != null) {
        interference.run();
      }
      statusWrites.incrementAndGet();
      real.write(config, status);
    };
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
    client.close();
    cluster.close();
  }

  @Test
  void aConfigWhoseSecretHoldsIgnitionBecomesReady() {
    // Given
    client.resource(secret("node-1", Map.of("ignition", IGNITION))).create();

    // When
    IPXEBootConfig config = client.resource(withIgnition(ipxe("node-1"), "node-1")).create();

    // Then
    await().atMost(WAIT).untilAsserted(() -> {
      BootConfigStatus status = ipxeStatus("node-1");
      assertThat(status.getState()).isEqualTo("Ready");
      assertThat(ours(status)).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("IgnitionSecretValid");
        assertThat(c.getObservedGeneration()).isEqualTo(config.getMetadata().getGeneration());
      });
    });
  }

  @Test
  void aMissingSecretIsAnErrorUntilItIsCreated() {
    // Given a config whose Secret does not exist
    client.resource(withIgnition(ipxe("node-2"), "node-2")).create();
    await().atMost(WAIT).untilAsserted(() -> {
      BootConfigStatus status = ipxeStatus("node-2");
      assertThat(status.getState()).isEqualTo("Error");
      assertThat(ours(status).getReason()).isEqualTo("SecretNotFound");
      assertThat(ours(status).getMessage()).isEqualTo("Secret default/node-2 not found.");
    });

    // When the Secret appears
    client.resource(secret("node-2", Map.of("ignition", IGNITION))).create();

    // Then
    await().atMost(WAIT).untilAsserted(() -> assertThat(ipxeStatus("node-2").getState()).isEqualTo("Ready"));
  }

  @Test
  void aConfigPastTheBoundOnWatchedSecretsIsAnErrorNamingTheSettingUntilAWatchFrees() throws Exception {
    // Given controllers that may watch one Secret, and a Ready config using it
    harness.close();
    harness = new ControllerHarness(client, FAST, new JsonPatchStatusWriter(client),
        new BootImages(null, new RegistryAllowList(List.of(), List.of()), "amd64", Set.of()),
        new SecretWatchSettings(List.of(), 1));
    client.resource(secret("node-a", Map.of("ignition", IGNITION))).create();
    client.resource(secret("node-b", Map.of("ignition", IGNITION))).create();
    IPXEBootConfig first = client.resource(withIgnition(ipxe("node-a"), "node-a")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(ipxeStatus("node-a").getState()).isEqualTo("Ready"));

    // When a second config names a second Secret
    client.resource(withIgnition(ipxe("node-b"), "node-b")).create();

    // Then it is in Error, saying which setting to raise (not that its Secret is missing)
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(ipxeStatus("node-b").getState()).isEqualTo("Error");
      assertThat(ours(ipxeStatus("node-b")).getReason()).isEqualTo("SecretWatchLimitReached");
      assertThat(ours(ipxeStatus("node-b")).getMessage()).contains("default/node-b", "boot.max-watched-secrets");
    });

    // And when the first config goes, the second's Secret is watched and it becomes Ready
    client.resource(first).delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(ipxeStatus("node-b").getState()).isEqualTo("Ready"));
  }

  @Test
  void removingTheIgnitionKeyOrTheSecretTurnsTheConfigToError() {
    // Given a Ready config
    client.resource(secret("node-3", Map.of("ignition", IGNITION))).create();
    client.resource(withIgnition(ipxe("node-3"), "node-3")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(ipxeStatus("node-3").getState()).isEqualTo("Ready"));

    // When the key is removed
    client.resource(secret("node-3", Map.of("other", "x"))).update();

    // Then
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(ours(ipxeStatus("node-3")).getReason()).isEqualTo("IgnitionKeyMissing"));

    // And when the Secret is deleted
    client.secrets().inNamespace(NAMESPACE).withName("node-3").delete();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(ipxeStatus("node-3").getState()).isEqualTo("Error");
      assertThat(ours(ipxeStatus("node-3")).getReason()).isEqualTo("SecretNotFound");
    });
  }

  @Test
  void brokenButaneIsAnErrorWithTheTranslatorsSummary() {
    // Given
    String butane = "variant: fcos\nversion: 9.9.9\n";
    ButaneException translatorError = (ButaneException) catchThrowable(() -> new ButaneTranslator().translate(butane.getBytes(StandardCharsets.UTF_8)));
    client.resource(secret("node-4", Map.of("ignition", butane, "format", "fcos\n"))).create();

    // When
    client.resource(withIgnition(http("node-4"), "node-4")).create();

    // Then
    await().atMost(WAIT).untilAsserted(() -> {
      BootConfigStatus status = httpStatus("node-4");
      assertThat(status.getState()).isEqualTo("Error");
      assertThat(ours(status).getReason()).isEqualTo("ButaneTranslationFailed");
      assertThat(ours(status).getMessage())
          .isEqualTo("Secret default/node-4: Butane translation failed: " + translatorError.summary());
    });
  }

  @Test
  void aConfigWithoutIgnitionSecretRefIsReady() {
    client.resource(http("node-5")).create();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(httpStatus("node-5").getState()).isEqualTo("Ready");
      assertThat(ours(httpStatus("node-5")).getReason()).isEqualTo("NoIgnitionSecretRef");
    });
  }

  @Test
  void anUnchangedStatusIsNotWrittenAgain() {
    // Given a Ready config
    client.resource(secret("node-6", Map.of("ignition", IGNITION))).create();
    client.resource(withIgnition(ipxe("node-6"), "node-6")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(ipxeStatus("node-6").getState()).isEqualTo("Ready"));
    String resourceVersion = fetchIpxe("node-6").getMetadata().getResourceVersion();
    int writes = statusWrites.get();
    double reconciles = successfulReconciles();

    // When its Secret changes in a way that keeps it valid, which reconciles it again
    client.secrets().inNamespace(NAMESPACE).withName("node-6").edit(s -> new SecretBuilder(s)
        .editMetadata().addToLabels("touched", "yes").endMetadata().build());

    // Then it was reconciled, but nothing was written
    await().atMost(WAIT).until(() -> successfulReconciles() > reconciles);
    assertThat(statusWrites).hasValue(writes);
    assertThat(fetchIpxe("node-6").getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
  }

  @Test
  void aConflictingWriteIsRetriedAndKeepsTheOtherWritersCondition() {
    // Given someone else changes the status just before our write, so that ours conflicts (409)
    Condition foreign = new ConditionBuilder().withType("SomeoneElses").withStatus("True").withReason("Set")
        .withMessage("by another writer").withLastTransitionTime("2025-01-01T00:00:00Z").build();
    beforeNextWrite.set(() -> {
      IPXEBootConfig latest = fetchIpxe("node-7");
      latest.getStatus().setConditions(List.of(foreign));
      client.resource(latest).updateStatus();
    });
    client.resource(secret("node-7", Map.of("ignition", IGNITION))).create();

    // When
    client.resource(withIgnition(ipxe("node-7"), "node-7")).create();

    // Then our status still lands, beside the other condition, after at least one retried failure
    await().atMost(WAIT).untilAsserted(() -> {
      BootConfigStatus status = ipxeStatus("node-7");
      assertThat(status.getState()).isEqualTo("Ready");
      assertThat(status.getConditions()).extracting(Condition::getType)
          .containsExactlyInAnyOrder("SomeoneElses", "IgnitionSecretReady");
    });
    assertThat(failedReconciles()).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void deliveryConditionsArePreservedThroughStateChanges() {
    // Given a Ready config whose Ignition was delivered
    client.resource(secret("node-8", Map.of("ignition", IGNITION))).create();
    client.resource(withIgnition(ipxe("node-8"), "node-8")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(ipxeStatus("node-8").getState()).isEqualTo("Ready"));
    try (DeliveryConditions deliveries = new DeliveryConditions(client, metrics, Clock.systemUTC())) {
      deliveries.record(Delivery.ignition(fetchIpxe("node-8")));
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(Conditions.find(ipxeStatus("node-8").getConditions(), "IgnitionDataFetched")).isNotNull());
    }

    // When the Secret goes away
    client.secrets().inNamespace(NAMESPACE).withName("node-8").delete();

    // Then the config is in Error, and the delivery condition is still there
    await().atMost(WAIT).untilAsserted(() -> {
      BootConfigStatus status = ipxeStatus("node-8");
      assertThat(status.getState()).isEqualTo("Error");
      assertThat(Conditions.find(status.getConditions(), "IgnitionDataFetched").getReason())
          .isEqualTo("IgnitionDataDelivered");
    });
  }

  private double successfulReconciles() {
    return metrics.counter("boot_reconciles_total", "controller", "ipxebootconfig", "result", "success").count();
  }

  private double failedReconciles() {
    return metrics.counter("boot_reconciles_total", "controller", "ipxebootconfig", "result", "failure").count();
  }

  private static IPXEBootConfig ipxe(String name) {
    return ipxeConfig(name, null, "http://k", "http://i", null);
  }

  private static HTTPBootConfig http(String name) {
    return httpConfig(name, null, List.of(), "http://uki");
  }

  private static <T extends CustomResource<?, ?>> T withIgnition(T config, String secretName) {
    if (config instanceof IPXEBootConfig ipxe) {
      ipxe.getSpec().setIgnitionSecretRef(ref(secretName));
    } else {
      ((HTTPBootConfig) config).getSpec().setIgnitionSecretRef(ref(secretName));
    }
    return config;
  }

  private IPXEBootConfig fetchIpxe(String name) {
    return client.resources(IPXEBootConfig.class).inNamespace(NAMESPACE).withName(name).get();
  }

  private BootConfigStatus ipxeStatus(String name) {
    return statusOf(fetchIpxe(name));
  }

  private BootConfigStatus httpStatus(String name) {
    return statusOf(client.resources(HTTPBootConfig.class).inNamespace(NAMESPACE).withName(name).get());
  }

  private static BootConfigStatus statusOf(CustomResource<?, BootConfigStatus> config) {
    assertThat(config.getStatus()).isNotNull();
    return config.getStatus();
  }

  private static Condition ours(BootConfigStatus status) {
    Condition condition = Conditions.find(status.getConditions(), IgnitionSecretConditions.TYPE);
    assertThat(condition).as("IgnitionSecretReady condition").isNotNull();
    return condition;
  }
}
