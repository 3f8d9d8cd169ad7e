package dev.ironcore.boot.leader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.config.LeaderElection;
import dev.ironcore.boot.config.LeaderElectionId;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The elector's rounds against the mock API, on a clock the test moves: the protocol is client-go's,
 * and the other holder's clock never matters, only when its record was seen to change.
 */
class LeaseElectorTest {
  private static final String NAMESPACE = "boot-system";
  private static final String NAME = LeaderElectionId.GO_MANAGER.leaseName();
  /** client-go's defaults: 15 s lease, 10 s renew deadline, 2 s retry. */
  private static final LeaderElection TIMING = new LeaderElection(true, NAMESPACE, "pod-a",
      Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  private static final String GO_HOLDER = "boot-operator-controller-manager-5d8f7c9b4-x2x7q_"
      + "8b6f7a3e-9c1d-11ef-8f4a-0242ac120002";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  private final Instant start = Instant.parse("2026-12-07T00:00:00.123456Z");
  private final Clock wallClock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return start.plusNanos(nanos.get() - 1_000_000_000_000L);
    }
  };

  private MockCluster cluster;
  private KubernetesClient client;
  private ClientGoLease lease;

  @BeforeEach
  void startApi() {
    cluster = new MockCluster();
    client = cluster.newClient();
    lease = new ClientGoLease(client, NAMESPACE, NAME);
  }

  @AfterEach
  void stopApi() {
    client.close();
    cluster.close();
  }

  @Test
  void identityIsTheHostNameAndAUuidAsControllerRuntimes() {
    // Given leader election with this pod's name
    LeaseElector elector = LeaseElector.of(client, TIMING, LeaderElectionId.GO_MANAGER);

    // Then the identity is <hostname>_<uuid> and the Lease is the Go manager's
    assertThat(elector.identity()).matches("pod-a_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(elector.leaseName()).isEqualTo("e9f0940b.ironcore.dev");
    // And a second replica on the same host is another candidate
    assertThat(LeaseElector.of(client, TIMING, LeaderElectionId.GO_MANAGER).identity())
        .isNotEqualTo(elector.identity());
  }

  @Test
  void withoutANamespaceTheLeaseIsInTheClientsNamespace() {
    // Given no namespace setting (the Go manifests set no POD_NAMESPACE)
    LeaderElection noNamespace = new LeaderElection(true, "", "pod-a", Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2));
    LeaseElector elector = LeaseElector.of(client, noNamespace, LeaderElectionId.GO_MANAGER);

    // When it runs a round
    elector.step();

    // Then the Lease is where the client's namespace (in a pod: its service account's) says
    assertThat(client.getNamespace()).isNotBlank();
    assertThat(new ClientGoLease(client, client.getNamespace(), NAME).holder()).isEqualTo(elector.identity());
  }

  @Test
  void aFreeLeaseIsCreatedAndRenewedAsClientGoWritesIt() {
    // Given no Lease
    LeaseElector elector = elector("pod-a");

    // When the elector runs a round
    elector.step();

    // Then it created the Lease in client-go's format and leads
    Map<String, Object> created = lease.spec();
    assertThat(created).containsEntry("holderIdentity", elector.identity())
        .containsEntry("leaseDurationSeconds", 15).containsEntry("leaseTransitions", 0)
        .containsEntry("acquireTime", ClientGoLease.microTime(start))
        .containsEntry("renewTime", ClientGoLease.microTime(start));
    assertThat((String) created.get("renewTime")).matches(ClientGoLease.MICRO_TIME_PATTERN);
    assertThat(elector.leads()).isTrue();

    // When the retry period passes and it runs again
    advance(Duration.ofSeconds(2));
    elector.step();

    // Then only renewTime moved on
    assertThat(lease.spec()).containsEntry("holderIdentity", elector.identity())
        .containsEntry("acquireTime", ClientGoLease.microTime(start))
        .containsEntry("renewTime", ClientGoLease.microTime(start.plusSeconds(2)))
        .containsEntry("leaseTransitions", 0);
    assertThat(elector.leads()).isTrue();
  }

  @Test
  void aLeaseItsHolderKeepsRenewingIsNeverTakenHoweverOldItsRenewTimeLooks() {
    // Given a Go replica whose clock is an hour behind holds the Lease and renews every 2 s
    Instant goClock = start.minus(Duration.ofHours(1));
    lease.hold(GO_HOLDER, 15, goClock);
    LeaseElector elector = elector("pod-a");

    // When we try for a minute, three lease durations after its renewTime by our clock
    for (int second = 0; second < 60; second += 2) {
      elector.step();
      assertThat(elector.leads()).as("after %d s", second).isFalse();
      advance(Duration.ofSeconds(2));
      goClock = goClock.plusSeconds(2);
      lease.renew(goClock);
    }

    // Then the Lease is still the Go replica's, untouched by us
    assertThat(lease.holder()).isEqualTo(GO_HOLDER);
    assertThat(lease.transitions()).isZero();
  }

  @Test
  void aLeaseNoLongerRenewedIsTakenOnceUnchangedForItsDurationSinceSeen() {
    // Given a Go replica whose clock is an hour ahead held the Lease and has stopped renewing
    lease.hold(GO_HOLDER, 15, start.plus(Duration.ofHours(1)));
    LeaseElector elector = elector("pod-a");
    elector.step();

    // When just under the lease duration has passed since we saw it
    advance(Duration.ofSeconds(15).minusMillis(1));
    elector.step();

    // Then it is still the Go replica's
    assertThat(elector.leads()).isFalse();
    assertThat(lease.holder()).isEqualTo(GO_HOLDER);

    // When the lease duration has passed
    advance(Duration.ofMillis(2));
    elector.step();

    // Then we hold it: a new acquireTime, one more transition
    assertThat(elector.leads()).isTrue();
    Instant now = wallClock.instant();
    assertThat(lease.spec()).containsEntry("holderIdentity", elector.identity())
        .containsEntry("acquireTime", ClientGoLease.microTime(now))
        .containsEntry("renewTime", ClientGoLease.microTime(now))
        .containsEntry("leaseDurationSeconds", 15).containsEntry("leaseTransitions", 1);
  }

  @Test
  void theHoldersLeaseDurationCountsNotOurs() {
    // Given a holder that asked for 60 s and stopped renewing
    lease.hold(GO_HOLDER, 60, start);
    LeaseElector elector = elector("pod-a");
    elector.step();

    // When our own lease duration (15 s) has passed, twice
    advance(Duration.ofSeconds(30));
    elector.step();

    // Then the Lease is still its
    assertThat(lease.holder()).isEqualTo(GO_HOLDER);

    // When its 60 s have passed
    advance(Duration.ofSeconds(31));
    elector.step();

    // Then we take it
    assertThat(lease.holder()).isEqualTo(elector.identity());
  }

  @Test
  void aReleasedLeaseIsTakenAtOnce() {
    // Given a holder released the Lease as client-go's ReleaseOnCancel does (empty holder, 1 s)
    lease.hold("", 1, start);
    LeaseElector elector = elector("pod-a");

    // When we run a round
    elector.step();

    // Then we hold it
    assertThat(elector.leads()).isTrue();
    assertThat(lease.holder()).isEqualTo(elector.identity());
  }

  @Test
  void anotherHolderSeenOnRenewalEndsLeadershipAtOnce() {
    // Given we lead
    LeaseElector elector = elector("pod-a");
    elector.step();
    assertThat(elector.leads()).isTrue();

    // When someone else writes itself into the Lease and our next renewal sees it
    lease.hold(GO_HOLDER, 15, start);
    advance(Duration.ofSeconds(2));
    elector.step();

    // Then we stop leading now, not at the renew deadline, and leave the Lease alone
    assertThat(elector.leads()).isFalse();
    assertThat(lease.holder()).isEqualTo(GO_HOLDER);
  }

  @Test
  void withoutARenewalLeadershipEndsAtTheRenewDeadlineByTheLocalClock() {
    // Given we lead, then no round runs (the API hangs)
    LeaseElector elector = elector("pod-a");
    elector.step();

    // When just under the renew deadline has passed
    advance(Duration.ofSeconds(10).minusNanos(1));

    // Then we still lead; at the deadline no longer, 5 s before any other may take over
    assertThat(elector.leads()).isTrue();
    advance(Duration.ofNanos(1));
    assertThat(elector.leads()).isFalse();
  }

  @Test
  void closingHandsTheLeaseOverAsClientGosReleaseOnCancel() {
    // Given we lead after taking the Lease over twice
    lease.hold(GO_HOLDER, 1, start);
    lease.hold(GO_HOLDER, 1, start);
    LeaseElector elector = elector("pod-a");
    elector.step();
    advance(Duration.ofSeconds(2));
    elector.step();
    assertThat(elector.leads()).isTrue();

    // When it is closed
    elector.close();

    // Then the Lease is free at once, its transitions kept; another candidate takes it in its first round
    assertThat(lease.spec()).containsEntry("holderIdentity", "").containsEntry("leaseDurationSeconds", 1)
        .containsEntry("leaseTransitions", 2);
    assertThat(elector.leads()).isFalse();
    LeaseElector next = elector("pod-b");
    next.step();
    assertThat(next.leads()).isTrue();
    assertThat(lease.transitions()).isEqualTo(3);
  }

  @Test
  void twoCandidatesNeverLeadTogetherWhicheverStalls() {
    // Given two candidates whose rounds come irregularly, and now and then stop for up to 30 s
    LeaseElector[] candidates = {elector("pod-a"), elector("pod-b")};
    long[] stalledUntil = new long[2];
    Random random = new Random(13);
    int handovers = 0;
    String lastHolder = null;

    // When time moves on in steps of up to 3 s for a quarter of an hour
    for (int round = 0; round < 600; round++) {
      advance(Duration.ofMillis(random.nextInt(3000)));
      for (int i = 0; i < 2; i++) {
        if (random.nextInt(100) < 3) {
          stalledUntil[i] = nanos.get() + Duration.ofMillis(random.nextInt(30_000)).toNanos();
        }
        if (nanos.get() >= stalledUntil[i]) {
          candidates[i].step();
        }
      }

      // Then at no moment do both lead
      assertThat(candidates[0].leads() && candidates[1].leads()).as("round %d", round).isFalse();
      String holder = lease.holder();
      if (lastHolder != null && !lastHolder.equals(holder)) {
        handovers++;
      }
      lastHolder = holder;
    }
    // And the stalls did move the Lease between them
    assertThat(handovers).isPositive();
  }

  private LeaseElector elector(String host) {
    return new LeaseElector(client, NAMESPACE, NAME, host + "_" + UUID.randomUUID(), TIMING, wallClock, nanos::get);
  }

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
