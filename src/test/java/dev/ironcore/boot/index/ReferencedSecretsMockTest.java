package dev.ironcore.boot.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.config.SecretWatchSettings;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets are held by reference: only those a boot config names are listed and watched, each on its
 * own, and {@code boot.watch-namespaces} limits every namespaced informer. Against the CRUD mock API.
 */
class ReferencedSecretsMockTest {
  private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
  private static final Duration SYNC = Duration.ofSeconds(10);

  private MockCluster cluster;
  private KubernetesClient client;
  private SimpleMeterRegistry metrics;
  private BootConfigIndex index;

  @BeforeEach
  void startCluster() {
    cluster = new MockCluster();
    client = cluster.newClient();
    metrics = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() {
    if (index != null) {
      index.close();
    }
    client.close();
    cluster.close();
  }

  @Test
  void anUnreferencedSecretIsNeitherListedNorHeld() throws Exception {
    // Given a Secret a config references and one no config references
    client.resource(Fixtures.secret("ignition-a", Map.of("ignition", "{}"))).create();
    client.resource(Fixtures.secret("helm-release", Map.of("release", "big"))).create();
    client.resource(ipxe("machine-a", "ignition-a")).create();
    cluster.takeRequestPaths();
    // When the index starts and syncs
    start(SecretWatchSettings.DEFAULT);
    // Then the referenced Secret is served, and the other is not in memory at all
    assertThat(index.secret("default", "ignition-a")).isPresent();
    assertThat(index.secret("default", "helm-release")).isEmpty();
    assertThat(index.heldSecretKeys()).containsExactly("default/ignition-a");
    // And every request for Secrets selected the referenced one by name: no list of all Secrets
    List<String> secretRequests = cluster.takeRequestPaths().stream().filter(path -> path.contains("/secrets")).toList();
    assertThat(secretRequests).isNotEmpty().allSatisfy(path -> assertThat(path)
        .startsWith("/api/v1/namespaces/default/secrets?")
        .contains("fieldSelector=metadata.name%3Dignition-a"));
    assertThat(secretRequests).anyMatch(path -> path.contains("watch=true"));
    assertThat(gauge("boot_watched_secrets")).isEqualTo(1);
  }

  @Test
  void aSecretCreatedAfterItsConfigIsServedWithinASecond() {
    // Given a config naming a Secret that does not exist yet
    client.resource(ipxe("machine-a", "late")).create();
    start(SecretWatchSettings.DEFAULT);
    // Then it is absent, and that absence is current (readiness did not wait for it)
    assertThat(index.secret("default", "late")).isEmpty();
    assertThat(index.secretWatchState("default", "late")).isEqualTo(SecretWatchState.CURRENT);
    // When the Secret is created
    client.resource(Fixtures.secret("late", Map.of("ignition", "{\"v\":1}"))).create();
    // Then it is served within a second
    await().atMost(WITHIN_A_SECOND).until(() -> index.secret("default", "late").isPresent());
  }

  @Test
  void aConfigCreatedAfterItsSecretIsServedWithinASecond() {
    // Given a Secret no config references yet
    client.resource(Fixtures.secret("early", Map.of("ignition", "{}"))).create();
    start(SecretWatchSettings.DEFAULT);
    assertThat(index.heldSecretKeys()).isEmpty();
    // When a config starts referencing it
    client.resource(http("machine-b", "early")).create();
    // Then the Secret is served within a second
    await().atMost(WITHIN_A_SECOND).until(() -> index.secret("default", "early").isPresent());
  }

  @Test
  void aChangedOrDeletedSecretIsReflectedWithinASecond() {
    // Given a referenced Secret that is served
    client.resource(Fixtures.secret("ignition-a", Map.of("ignition", "{\"v\":1}"))).create();
    client.resource(ipxe("machine-a", "ignition-a")).create();
    start(SecretWatchSettings.DEFAULT);
    assertThat(ignitionOf("ignition-a")).isEqualTo("{\"v\":1}");
    // When it changes
    client.resource(Fixtures.secret("ignition-a", Map.of("ignition", "{\"v\":2}"))).update();
    // Then the new value is served within a second
    await().atMost(WITHIN_A_SECOND).until(() -> "{\"v\":2}".equals(ignitionOf("ignition-a")));
    // When it is deleted
    client.secrets().inNamespace("default").withName("ignition-a").delete();
    // Then it is gone within a second
    await().atMost(WITHIN_A_SECOND).until(() -> index.secret("default", "ignition-a").isEmpty());
  }

  @Test
  void aConfigThatStopsReferencingASecretClosesItsWatchAndDropsTheData() throws Exception {
    // Given a config referencing a Secret, served
    client.resource(Fixtures.secret("ignition-a", Map.of("ignition", "{}"))).create();
    client.resource(Fixtures.secret("ignition-b", Map.of("ignition", "{}"))).create();
    IPXEBootConfig config = client.resource(ipxe("machine-a", "ignition-a")).create();
    start(SecretWatchSettings.DEFAULT);
    assertThat(index.secret("default", "ignition-a")).isPresent();
    // When the config names another Secret instead
    config.getSpec().setIgnitionSecretRef(Fixtures.ref("ignition-b"));
    client.resource(config).update();
    // Then the new Secret is served and the old one's watch is closed and its data dropped
    await().atMost(WITHIN_A_SECOND).untilAsserted(() -> {
      assertThat(index.secret("default", "ignition-b")).isPresent();
      assertThat(index.heldSecretKeys()).containsExactly("default/ignition-b");
    });
    assertThat(index.secret("default", "ignition-a")).isEmpty();
    assertThat(index.watchedSecretCount()).isEqualTo(1);
    // And the old Secret's changes are no longer watched for: no new request names it
    cluster.takeRequestPaths();
    client.resource(Fixtures.secret("ignition-a", Map.of("ignition", "{\"v\":3}"))).update();
    Thread.sleep(200);
    assertThat(cluster.takeRequestPaths()).noneMatch(path -> path.contains("metadata.name%3Dignition-a")
        && path.contains("watch=true"));
    assertThat(index.secret("default", "ignition-a")).isEmpty();
  }

  @Test
  void aSecretSharedByTwoConfigsIsWatchedUntilTheLastOneGoes() {
    // Given two configs of both kinds naming one Secret
    client.resource(Fixtures.secret("shared", Map.of("ignition", "{}"))).create();
    IPXEBootConfig ipxe = client.resource(ipxe("machine-a", "shared")).create();
    HTTPBootConfig http = client.resource(http("machine-b", "shared")).create();
    start(SecretWatchSettings.DEFAULT);
    assertThat(index.watchedSecretCount()).isEqualTo(1);
    // When the first goes
    client.resource(ipxe).delete();
    await().atMost(SYNC).until(() -> index.ipxeConfigsForUuid(SystemUuid.canonical(uuid("machine-a")))
        .isEmpty());
    // Then the Secret is still watched and served for the other
    assertThat(index.secret("default", "shared")).isPresent();
    assertThat(index.watchedSecretCount()).isEqualTo(1);
    // When the last goes
    client.resource(http).delete();
    // Then its watch closes and its data is dropped (the deletion's own delivery is the test's precondition,
    // not its subject, so it gets the sync allowance rather than the one-second promise)
    await().atMost(SYNC).until(() -> index.watchedSecretCount() == 0);
    assertThat(index.heldSecretKeys()).isEmpty();
    assertThat(index.secret("default", "shared")).isEmpty();
  }

  @Test
  void watchNamespacesLimitConfigsAndSecretsToThoseNamespaces() throws Exception {
    // Given the same config and Secret in a watched and in an unwatched namespace
    for (String namespace : List.of("boot", "elsewhere")) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      client.resource(in(namespace, Fixtures.secret("ignition-a", Map.of("ignition", "{}")))).create();
      client.resource(in(namespace, ipxe("machine-a", "ignition-a"))).create();
      client.resource(in(namespace, http("machine-b", "ignition-a"))).create();
    }
    cluster.takeRequestPaths();
    // When the index watches only "boot"
    start(new SecretWatchSettings(List.of("boot"), 10));
    // Then it holds the configs and Secret of "boot" only
    assertThat(index.ipxeConfigsForUuid(SystemUuid.canonical(uuid("machine-a"))))
        .extracting(config -> config.getMetadata().getNamespace()).containsExactly("boot");
    assertThat(index.httpConfigsForUuid(SystemUuid.canonical(uuid("machine-b"))))
        .extracting(config -> config.getMetadata().getNamespace()).containsExactly("boot");
    assertThat(index.secret("boot", "ignition-a")).isPresent();
    assertThat(index.secret("elsewhere", "ignition-a")).isEmpty();
    assertThat(index.heldSecretKeys()).containsExactly("boot/ignition-a");
    // And no namespaced request left "boot": no list or watch across namespaces
    assertThat(cluster.takeRequestPaths()).filteredOn(path -> path.contains("bootconfig") || path.contains("/secrets"))
        .isNotEmpty().allSatisfy(path -> assertThat(path).contains("/namespaces/boot/"));
  }

  @Test
  void watchNamespacesMergeLookupsAcrossSeveralNamespaces() {
    // Given a config in each of two watched namespaces
    for (String namespace : List.of("rack-1", "rack-2")) {
      client.resource(in(namespace, Fixtures.secret("ignition", Map.of("ignition", namespace)))).create();
      client.resource(in(namespace, ipxe("machine-" + namespace, "ignition"))).create();
    }
    // When the index watches both
    start(new SecretWatchSettings(List.of("rack-1", "rack-2"), 10));
    // Then lookups find either, and each one's Secret is served
    assertThat(index.ipxeConfigsForUuid(SystemUuid.canonical(uuid("machine-rack-1")))).hasSize(1);
    assertThat(index.ipxeConfigsForUuid(SystemUuid.canonical(uuid("machine-rack-2")))).hasSize(1);
    assertThat(index.configsReferencingSecret("rack-2", "ignition")).hasSize(1);
    assertThat(index.cached(IPXEBootConfig.class, "rack-2/machine-rack-2")).isNotNull();
    assertThat(index.cachedKeys(IPXEBootConfig.class)).containsExactlyInAnyOrder(
        "rack-1/machine-rack-1", "rack-2/machine-rack-2");
    assertThat(ignition("rack-1", "ignition")).isEqualTo("rack-1");
    assertThat(ignition("rack-2", "ignition")).isEqualTo("rack-2");
  }

  @Test
  void pastTheBoundASecretIsRefusedCountedAndAdmittedWhenAWatchCloses() {
    // Given a bound of one watched Secret and two configs naming two Secrets
    client.resource(Fixtures.secret("first", Map.of("ignition", "{}"))).create();
    client.resource(Fixtures.secret("second", Map.of("ignition", "{}"))).create();
    IPXEBootConfig first = client.resource(ipxe("machine-a", "first")).create();
    start(new SecretWatchSettings(List.of(), 1));
    client.resource(ipxe("machine-b", "second")).create();
    // Then the second is refused: not watched, said so, counted
    await().atMost(WITHIN_A_SECOND).until(() ->
        index.secretWatchState("default", "second") == SecretWatchState.REFUSED);
    assertThat(index.secret("default", "second")).isEmpty();
    assertThat(index.watchedSecretCount()).isEqualTo(1);
    assertThat(gauge("boot_secret_watches_refused")).isEqualTo(1);
    // When the first config goes
    client.resource(first).delete();
    // Then the second Secret is watched and served in its place
    await().atMost(WITHIN_A_SECOND).until(() -> index.secret("default", "second").isPresent());
    assertThat(index.secretWatchState("default", "second")).isEqualTo(SecretWatchState.CURRENT);
    assertThat(index.heldSecretKeys()).containsExactly("default/second");
    assertThat(gauge("boot_secret_watches_refused")).isZero();
  }

  private void start(SecretWatchSettings scope) {
    index = new BootConfigIndex(client, Duration.ofMinutes(10), scope, metrics);
    index.start();
    assertThat(index.awaitSynced(SYNC)).as("synced").isTrue();
  }

  private double gauge(String name) {
    return metrics.get(name).gauge().value();
  }

  private String ignitionOf(String secretName) {
    return ignition("default", secretName);
  }

  private String ignition(String namespace, String secretName) {
    return index.secret(namespace, secretName)
        .map(secret -> secret.getData() != null && secret.getData().containsKey("ignition")
            ? new String(Base64.getDecoder().decode(secret.getData().get("ignition")), StandardCharsets.UTF_8)
            : secret.getStringData().get("ignition"))
        .orElse(null);
  }

  private static IPXEBootConfig ipxe(String name, String secretName) {
    IPXEBootConfig config = Fixtures.ipxeConfig(name, uuid(name), "http://k", "http://i", "http://s");
    config.getSpec().setIgnitionSecretRef(Fixtures.ref(secretName));
    return config;
  }

  private static HTTPBootConfig http(String name, String secretName) {
    HTTPBootConfig config = Fixtures.httpConfig(name, uuid(name), List.of("10.0.0.1"), "http://uki");
    config.getSpec().setIgnitionSecretRef(Fixtures.ref(secretName));
    return config;
  }

  private static <T extends HasMetadata> T in(String namespace, T object) {
    object.getMetadata().setNamespace(namespace);
    return object;
  }

  /** A stable UUID per machine name. */
  private static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
