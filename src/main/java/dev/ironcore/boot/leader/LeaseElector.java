package dev.ironcore.boot.leader;

import dev.ironcore.boot.config.LeaderElection;
import dev.ironcore.boot.config.LeaderElectionId;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a coordination.k8s.io/v1 Lease by client-go's rules (tools/leaderelection), so
 * that the Go manager, electing on the same Lease, and this service never lead at the same time.
 * A Lease held by another is taken only when its record has not changed for its
 * leaseDurationSeconds, counted on this process's monotonic clock from when the change was seen:
 * the other holder's renewTime is never compared with our clock. fabric8's LeaderElector compares
 * it, which is why this class exists.
 *
 * <p>Unlike controller-runtime, which exits the process when it loses the Lease, this replica only
 * stops reconciling and stays a candidate: it keeps serving boot requests, and its controllers can
 * stop and start again (the queue outlives them, the caches serve HTTP anyway). {@link #leads}
 * turns false at once when another holder is seen, and by the local clock once the renew deadline
 * passes without a renewal, even while a request to the API hangs; the others wait the longer
 * lease duration, so reconciles never overlap.
 */
public final class LeaseElector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseElector.class);
  /** client-go's JitterFactor: a candidate waits the retry period × [1, 2.2) between attempts. */
  private static final double JITTER = 1.2;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final LeaderElection timing;
  private final Clock wallClock;
  private final LongSupplier nanoClock;
  private final Thread loop;

  /** The Lease as last read or written, for its resourceVersion. */
  private Lease lease;
  private LeaseRecord observed;
  private long observedAt;
  private volatile boolean leading;
  private volatile long renewedAt;
  private volatile boolean closed;

  LeaseElector(KubernetesClient client, String namespace, String name, String identity, LeaderElection timing,
      Clock wallClock, LongSupplier nanoClock) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.timing = timing;
    this.wallClock = wallClock;
    this.nanoClock = nanoClock;
    this.loop = new Thread(this::run, "leader-election");
    loop.setDaemon(true);
  }

  /**
   * The elector of this replica: identity {@code <host name>_<random UUID>} as controller-runtime's,
   * the Lease in the configured namespace or else the client's.
   */
  public static LeaseElector of(KubernetesClient client, LeaderElection election, LeaderElectionId id) {
    String namespace = !election.namespace().isEmpty() ? election.namespace()
        : Optional.ofNullable(client.getNamespace()).orElse("default");
    return new LeaseElector(client, namespace, id.leaseName(), election.podName() + "_" + UUID.randomUUID(),
        election, Clock.systemUTC(), System::nanoTime);
  }

  public void start() {
    LOG.info("Attempting to acquire leader lease {} as {}", describe(), identity);
    loop.start();
  }

  /** True while this replica holds the Lease and renewed it within the renew deadline. */
  public boolean leads() {
    return leading && !closed && nanoClock.getAsLong() - renewedAt < timing.renewDeadline().toNanos();
  }

  public String identity() {
    return identity;
  }

  public String leaseName() {
    return name;
  }

  private void run() {
    while (!closed) {
      try {
        step();
      } catch (RuntimeException e) {
        // the loop must outlive anything unexpected, or no replica would ever take the Lease again
        LOG.warn("Leader election round for {} failed: {}", describe(), e.toString());
      }
      long pause = timing.retryPeriod().toMillis();
      if (!leading) {
        pause += (long) (pause * JITTER * ThreadLocalRandom.current().nextDouble());
      }
      try {
        TimeUnit.MILLISECONDS.sleep(pause);
      } catch (InterruptedException closing) {
        return;
      }
    }
  }

  /** One round: acquire or renew, then decide whether this replica still leads. */
  synchronized void step() {
    if (closed) {
      return;
    }
    long started = nanoClock.getAsLong();
    if (tryAcquireOrRenew()) {
      renewedAt = started;
      if (!leading) {
        leading = true;
        LOG.info("Acquired leader lease {}: this replica reconciles", describe());
      }
    } else if (leading && (!isLeader() || nanoClock.getAsLong() - renewedAt >= timing.renewDeadline().toNanos())) {
      leading = false;
      LOG.warn("Lost leader lease {} ({}): reconciling stops", describe(),
          isLeader() ? "not renewed within " + timing.renewDeadline().toMillis() + " ms" : "now held by "
              + observed.holderIdentity());
    }
  }

  /** client-go's tryAcquireOrRenew: true when this replica holds the Lease now. */
  private boolean tryAcquireOrRenew() {
    Instant now = wallClock.instant().truncatedTo(ChronoUnit.MICROS); // a Lease keeps MicroTime
    long nowNanos = nanoClock.getAsLong();
    int seconds = (int) timing.leaseDuration().toSeconds();
    // the leader's fast path: write over the Lease as last seen; a conflict means someone else wrote
    if (isLeader() && leaseValid(nowNanos)) {
      try {
        write(new LeaseRecord(identity, seconds, observed.acquireTime(), now, observed.leaseTransitions()));
        return true;
      } catch (KubernetesClientException e) {
        LOG.debug("Could not renew leader lease {} as last seen, reading it again: {}", describe(), e.getMessage());
      }
    }
    Lease current;
    try {
      current = client.leases().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      LOG.warn("Could not read leader lease {}: {}", describe(), e.getMessage());
      return false;
    }
    if (current == null) {
      return create(new LeaseRecord(identity, seconds, now, now, 0));
    }
    lease = current;
    LeaseRecord seen = LeaseRecord.of(current.getSpec());
    if (!seen.equals(observed)) {
      observe(seen);
    }
    if (seen.isHeld() && leaseValid(nowNanos) && !isLeader()) {
      return false;
    }
    LeaseRecord mine = isLeader()
        ? new LeaseRecord(identity, seconds, seen.acquireTime(), now, seen.leaseTransitions())
        : new LeaseRecord(identity, seconds, now, now, seen.leaseTransitions() + 1);
    try {
      write(mine);
      return true;
    } catch (KubernetesClientException e) {
      LOG.info("Could not take leader lease {}: {}", describe(), e.getMessage());
      return false;
    }
  }

  private boolean create(LeaseRecord mine) {
    Lease created = new LeaseBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withSpec(mine.writeTo(new LeaseSpec())).build();
    try {
      lease = client.leases().inNamespace(namespace).resource(created).create();
      observe(mine);
      return true;
    } catch (KubernetesClientException e) {
      LOG.info("Could not create leader lease {}: {}", describe(), e.getMessage());
      return false;
    }
  }

  /** An update with the resourceVersion last seen: the API server refuses it if anyone wrote since. */
  private void write(LeaseRecord record) {
    Lease updated = new LeaseBuilder(lease).build();
    updated.setSpec(record.writeTo(Optional.ofNullable(updated.getSpec()).orElseGet(LeaseSpec::new)));
    lease = client.leases().inNamespace(namespace).resource(updated).update();
    observe(record);
  }

  private void observe(LeaseRecord record) {
    if (observed == null || !Objects.equals(observed.holderIdentity(), record.holderIdentity())) {
      LOG.info("Leader lease {} is held by {}", describe(), record.isHeld() ? record.holderIdentity() : "nobody");
    }
    observed = record;
    observedAt = nanoClock.getAsLong();
  }

  private boolean isLeader() {
    return observed != null && identity.equals(observed.holderIdentity());
  }

  /** client-go's isLeaseValid: the record seen last has not yet been unchanged for its own duration. */
  private boolean leaseValid(long nowNanos) {
    return observed != null
        && observedAt + TimeUnit.SECONDS.toNanos(observed.leaseDurationSeconds()) - nowNanos > 0;
  }

  /**
   * Stops electing and, when this replica holds the Lease, hands it over at once as client-go's
   * ReleaseOnCancel does (empty holder, 1 s). Call it once nothing reconciles any more.
   */
  @Override
  public void close() {
    // never in the middle of a round: a write interrupted after the API server took it would leave this
    // replica with an old resourceVersion, and the release below would then be refused as a conflict
    synchronized (this) {
      closed = true;
      loop.interrupt();
    }
    try {
      loop.join(timing.renewDeadline().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    release();
  }

  private synchronized void release() {
    if (!isLeader() || lease == null) {
      return;
    }
    Instant now = wallClock.instant().truncatedTo(ChronoUnit.MICROS);
    try {
      write(new LeaseRecord("", 1, now, now, observed.leaseTransitions()));
      LOG.info("Released leader lease {}", describe());
    } catch (KubernetesClientException e) {
      LOG.warn("Could not release leader lease {} (the others take it after its duration): {}", describe(),
          e.getMessage());
    }
    leading = false;
  }

  private String describe() {
    return namespace + "/" + name;
  }
}
