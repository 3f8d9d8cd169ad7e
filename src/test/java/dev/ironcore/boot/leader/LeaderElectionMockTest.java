package dev.ironcore.boot.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Route;
import org.apache.camel.component.master.MasterConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas against one mock API: only the Lease holder reconciles; the other takes over when its pod goes. */
class LeaderElectionMockTest {
  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final Pattern RECONCILES =
      Pattern.compile("(?m)^boot_reconciles_total\\{[^}]*controller=\"ipxebootconfig\"[^}]*result=\"success\"[^}]*\\} (\\S+)$");

  private MockCluster cluster;
  private KubernetesClient client;
  private BootServiceUnderTest a;
  private BootServiceUnderTest b;

  @BeforeEach
  void startTwoReplicas() throws Exception {
    cluster = new MockCluster();
    client = cluster.newClient();
    client.resource(readyPod("pod-a")).create();
    client.resource(readyPod("pod-b")).create();
    a = replica("pod-a");
    b = replica("pod-b");
  }

  @AfterEach
  void stop() throws Exception {
    b.close();
    a.close();
    client.close();
    cluster.close();
  }

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenTheLeadersPodIsDeleted() throws Exception {
    // Given
    client.resource(Fixtures.ipxeConfig("first", null, "http://k", "http://i", null)).create();
    awaitReady("first");
    BootServiceUnderTest leader = reconciles(a) > 0 ? a : b;
    BootServiceUnderTest follower = leader == a ? b : a;
    assertThat(reconciles(leader)).isPositive();
    assertThat(reconciles(follower)).isZero();
    assertThat(consumes(follower)).isFalse();

    // When the leader's pod object goes away, the follower takes the Lease
    client.pods().inNamespace("default").withName(leader == a ? "pod-a" : "pod-b").delete();
    String followerPod = leader == a ? "pod-b" : "pod-a";
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.leases().inNamespace("default")
          .withName(ControllerLeadership.LEASE_NAME_PREFIX + "-" + ControllerLeadership.GROUP).get()
          .getSpec().getHolderIdentity()).isEqualTo(followerPod);
      assertThat(consumes(follower)).isTrue();
      assertThat(consumes(leader)).isFalse();
    });
    client.resource(Fixtures.ipxeConfig("second", null, "http://k", "http://i", null)).create();

    // Then the follower reconciles
    awaitReady("second");
    assertThat(reconciles(follower)).isPositive();
  }

  private void awaitReady(String name) {
    await().atMost(WAIT).untilAsserted(() -> {
      IPXEBootConfig config = client.resources(IPXEBootConfig.class).inNamespace("default").withName(name).get();
      assertThat(config.getStatus()).isNotNull();
      assertThat(config.getStatus().getState()).isEqualTo("Ready");
    });
  }

  /** Whether the replica's master: consumer of the ipxebootconfig route runs its reconcile consumer. */
  private static boolean consumes(BootServiceUnderTest replica) {
    Route route = replica.app().camelContext().getRoute("reconcile-ipxebootconfig");
    return ((MasterConsumer) route.getConsumer()).isMaster();
  }

  private static double reconciles(BootServiceUnderTest replica) throws Exception {
    String metrics = replica.send(replica.metricsPort(), "GET", "/metrics").body();
    Matcher count = RECONCILES.matcher(metrics);
    return count.find() ? Double.parseDouble(count.group(1)) : 0;
  }

  private BootServiceUnderTest replica(String pod) throws Exception {
    Map<String, String> properties = new HashMap<>(Map.of(
        "boot.ipxe-service-url", "http://boot.example:8082",
        "boot.leader-elect", "true",
        "boot.leader-election-pod-name", pod,
        "boot.leader-election-lease-duration", "10s",
        "boot.leader-election-renew-deadline", "7s",
        "boot.leader-election-retry-period", "1s"));
    return BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()), properties);
  }

  private static Pod readyPod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
        .addToLabels(ControllerLeadership.POD_LABELS).endMetadata()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build();
  }
}
