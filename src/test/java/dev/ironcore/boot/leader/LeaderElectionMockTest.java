package dev.ironcore.boot.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.BootServiceUnderTest;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole replicas against one mock API, on the Go manager's Lease: one of ours and a Go replica
 * (played by the test, writing the Lease as client-go does) never reconcile together, two of ours
 * neither, and whoever stops renewing is replaced.
 */
class LeaderElectionMockTest {
  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final String NAMESPACE = Fixtures.NAMESPACE;
  private static final String LEASE = "e9f0940b.ironcore.dev";
  private static final String GO_REPLICA = "boot-operator-controller-manager-6b9d5c7f8-k4z2p_"
      + "0f4e2c1a-b3d5-11ef-9a8c-0242ac120003";
  /** Short client-go timings, so that several lease durations pass within a test. */
  private static final Map<String, String> SHORT_LEASE = Map.of(
      "boot.leader-election-lease-duration", "2s",
      "boot.leader-election-renew-deadline", "1500ms",
      "boot.leader-election-retry-period", "300ms");
  private static final Pattern RECONCILES =
      Pattern.compile("(?m)^boot_reconciles_total\\{[^}]*controller=\"ipxebootconfig\"[^}]*result=\"success\"[^}]*\\} (\\S+)$");
  private static final Pattern LEADS =
      Pattern.compile("(?m)^leader_election_master_status\\{name=\"" + Pattern.quote(LEASE) + "\",?\\} (\\S+)$");

  private MockCluster cluster;
  private KubernetesClient client;
  private ClientGoLease lease;
  private final List<BootServiceUnderTest> replicas = new ArrayList<>();
  private final ScheduledExecutorService goReplica = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void startApi() {
    cluster = new MockCluster();
    client = cluster.newClient();
    lease = new ClientGoLease(client, NAMESPACE, LEASE);
  }

  @AfterEach
  void stop() throws Exception {
    goReplica.shutdownNow();
    for (BootServiceUnderTest replica : replicas) {
      replica.close();
    }
    client.close();
    cluster.close();
  }

  @Test
  void ofTwoReplicasExactlyOneReconcilesAndTheOtherTakesOverWhenItStops() throws Exception {
    // Given two replicas with timings long enough that a busy machine does not move the Lease
    Map<String, String> timing = Map.of("boot.leader-election-lease-duration", "4s",
        "boot.leader-election-renew-deadline", "3s", "boot.leader-election-retry-period", "500ms");
    BootServiceUnderTest a = replica("pod-a", timing);
    BootServiceUnderTest b = replica("pod-b", timing);

    // When a config is created
    client.resource(Fixtures.ipxeConfig("first", null, "http://k", "http://i", null)).create();
    awaitReady("first");

    // Then exactly one leads, holds the Lease and reconciled; the other never leads meanwhile
    await().during(Duration.ofSeconds(3)).atMost(WAIT).untilAsserted(() ->
        assertThat(leads(a) + leads(b)).isEqualTo(1));
    BootServiceUnderTest leader = leads(a) == 1 ? a : b;
    BootServiceUnderTest follower = leader == a ? b : a;
    String followerPod = leader == a ? "pod-b" : "pod-a";
    assertThat(lease.holder()).startsWith(leader == a ? "pod-a_" : "pod-b_");
    assertThat(reconciles(leader)).isPositive();
    assertThat(reconciles(follower)).isZero();

    // When the leader stops (it hands the Lease over)
    leader.close();
    replicas.remove(leader);

    // Then the other takes the Lease and reconciles what comes next
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(lease.holder()).startsWith(followerPod + "_");
      assertThat(leads(follower)).isEqualTo(1);
    });
    client.resource(Fixtures.ipxeConfig("second", null, "http://k", "http://i", null)).create();
    awaitReady("second");
    assertThat(reconciles(follower)).isPositive();
  }

  @Test
  void aGoReplicaThatKeepsRenewingKeepsTheLeaseAndOneThatStopsIsReplacedAfterTheLeaseDuration() throws Exception {
    // Given a Go replica holds the Lease (2 s) and renews it every 300 ms
    lease.hold(GO_REPLICA, 2, Instant.now());
    AtomicReference<Instant> lastRenewal = new AtomicReference<>();
    var renewing = goReplica.scheduleWithFixedDelay(() -> renew(lastRenewal), 0, 300, TimeUnit.MILLISECONDS);
    BootServiceUnderTest ours = replica("pod-a", SHORT_LEASE);
    await().atMost(WAIT).until(() -> ours.app().index().hasSynced());

    // When a config is created
    client.resource(Fixtures.ipxeConfig("first", null, "http://k", "http://i", null)).create();

    // Then over four lease durations nothing is reconciled, and the Lease stays the Go replica's
    await().during(Duration.ofSeconds(8)).atMost(WAIT).untilAsserted(() -> {
      assertThat(reconciles(ours)).isZero();
      assertThat(leads(ours)).isZero();
      assertThat(lease.holder()).isEqualTo(GO_REPLICA);
    });
    assertThat(state("first")).isNull();

    // When the Go replica stops renewing
    renewing.cancel(false);
    goReplica.shutdown();
    assertThat(goReplica.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    Instant stopped = lastRenewal.get();

    // Then we take the Lease, not before its duration since the last renewal, and with one more transition
    await().atMost(WAIT).untilAsserted(() -> assertThat(lease.holder()).startsWith("pod-a_"));
    Map<String, Object> taken = lease.spec();
    Instant acquired = Instant.parse((String) taken.get("acquireTime"));
    assertThat(acquired).isAfterOrEqualTo(stopped.plusSeconds(2)).isBefore(stopped.plusSeconds(2 + 10));
    assertThat(taken).containsEntry("leaseTransitions", 1).containsEntry("leaseDurationSeconds", 2);
    // And reconcile what waited
    awaitReady("first");
    assertThat(reconciles(ours)).isPositive();
  }

  @Test
  void losingTheLeaseStopsReconcilingAtOnceAndTheReplicaStaysACandidate() throws Exception {
    // Given our replica leads and reconciled a config
    BootServiceUnderTest ours = replica("pod-a", SHORT_LEASE);
    client.resource(Fixtures.ipxeConfig("first", null, "http://k", "http://i", null)).create();
    awaitReady("first");
    double reconciledBefore = reconciles(ours);

    // When a Go replica writes itself into the Lease and keeps renewing it
    lease.hold(GO_REPLICA, 2, Instant.now());
    AtomicReference<Instant> lastRenewal = new AtomicReference<>();
    var renewing = goReplica.scheduleWithFixedDelay(() -> renew(lastRenewal), 0, 300, TimeUnit.MILLISECONDS);

    // Then ours stops leading, and a config created now is not reconciled over three lease durations
    await().atMost(WAIT).untilAsserted(() -> assertThat(leads(ours)).isZero());
    client.resource(Fixtures.ipxeConfig("second", null, "http://k", "http://i", null)).create();
    await().during(Duration.ofSeconds(6)).atMost(WAIT).untilAsserted(() -> {
      assertThat(state("second")).isNull();
      assertThat(reconciles(ours)).isEqualTo(reconciledBefore);
      assertThat(lease.holder()).isEqualTo(GO_REPLICA);
    });

    // When the Go replica stops renewing, ours takes the Lease again and reconciles what waited
    renewing.cancel(false);
    awaitReady("second");
    assertThat(leads(ours)).isEqualTo(1);
    assertThat(lease.holder()).startsWith("pod-a_");
  }

  @Test
  void theLeaderHandsTheLeaseOverWhenItsShutdownDrainBeginsNotWhenItEnds() throws Exception {
    Map<String, String> timing = new HashMap<>(SHORT_LEASE);
    timing.putAll(Map.of("boot.shutdown-delay", "5s", "boot.shutdown-timeout", "10s"));
    BootServiceUnderTest a = replica("pod-a", timing);
    await().atMost(WAIT).untilAsserted(() -> assertThat(lease.holder()).startsWith("pod-a_"));

    // When its stop begins (as SIGTERM does), with 5 s of serving still ahead
    CompletableFuture<Void> drained = CompletableFuture.runAsync(a.app()::drain);

    // Then it hands the Lease over at once (the others need not wait for the drain) and stops leading
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      assertThat(lease.holder()).isEmpty();
      assertThat(leads(a)).isZero();
    });
    assertThat(drained).isNotDone();
    drained.get(30, TimeUnit.SECONDS);
  }

  /**
   * One renewal by the Go replica, as client-go's: renewTime now, the rest unchanged. A conflict
   * (ours wrote meanwhile) waits for the next round: an exception would end the schedule.
   */
  private void renew(AtomicReference<Instant> lastRenewal) {
    Instant now = Instant.now();
    try {
      lease.renew(now);
      lastRenewal.set(now);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  private BootServiceUnderTest replica(String pod, Map<String, String> timing) throws Exception {
    Map<String, String> properties = new HashMap<>(timing);
    properties.putAll(Map.of(
        "boot.ipxe-service-url", "http://boot.example:8082",
        "boot.leader-elect", "true",
        "boot.leader-election-namespace", NAMESPACE,
        "boot.leader-election-pod-name", pod));
    BootServiceUnderTest replica = BootServiceUnderTest.start(ClusterConnection.external(cluster.newClient()),
        properties);
    replicas.add(replica);
    return replica;
  }

  private void awaitReady(String name) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(state(name)).isEqualTo("Ready"));
  }

  /** The config's status.state: null until a controller reconciled it. */
  private String state(String name) {
    BootConfigStatus status = client.resources(IPXEBootConfig.class).inNamespace(NAMESPACE).withName(name).get()
        .getStatus();
    return status == null ? null : status.getState();
  }

  private static double reconciles(BootServiceUnderTest replica) throws Exception {
    return metric(replica, RECONCILES);
  }

  private static int leads(BootServiceUnderTest replica) throws Exception {
    return (int) metric(replica, LEADS);
  }

  private static double metric(BootServiceUnderTest replica, Pattern pattern) throws Exception {
    Matcher value = pattern.matcher(replica.metricsText());
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }
}
