package dev.ironcore.boot.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The five fields of a Lease that leader election reads and writes, as client-go's
 * LeaderElectionRecord: a missing field reads as its zero value, an empty holder as a free Lease.
 */
record LeaseRecord(String holderIdentity, int leaseDurationSeconds, Instant acquireTime, Instant renewTime,
    int leaseTransitions) {

  static LeaseRecord of(LeaseSpec spec) {
    if (spec == null) {
      return new LeaseRecord("", 0, null, null, 0);
    }
    return new LeaseRecord(Optional.ofNullable(spec.getHolderIdentity()).orElse(""),
        Optional.ofNullable(spec.getLeaseDurationSeconds()).orElse(0),
        Optional.ofNullable(spec.getAcquireTime()).map(ZonedDateTime::toInstant).orElse(null),
        Optional.ofNullable(spec.getRenewTime()).map(ZonedDateTime::toInstant).orElse(null),
        Optional.ofNullable(spec.getLeaseTransitions()).orElse(0));
  }

  boolean isHeld() {
    return !holderIdentity.isEmpty();
  }

  /** Sets the five fields on {@code spec}; any other field (a newer client-go's) stays as it was. */
  LeaseSpec writeTo(LeaseSpec spec) {
    spec.setHolderIdentity(holderIdentity);
    spec.setLeaseDurationSeconds(leaseDurationSeconds);
    spec.setAcquireTime(ZonedDateTime.ofInstant(acquireTime, ZoneOffset.UTC));
    spec.setRenewTime(ZonedDateTime.ofInstant(renewTime, ZoneOffset.UTC));
    spec.setLeaseTransitions(leaseTransitions);
    return spec;
  }
}
