package dev.ironcore.boot.config;

import java.time.Duration;

/**
 * Lease-based leader election for the controllers, with client-go's rules: the Lease's namespace
 * (empty: the client's, in a pod its service account's, as controller-runtime), the host name this
 * replica's identity starts with, and the timings.
 */
public record LeaderElection(boolean enabled, String namespace, String podName, Duration leaseDuration,
    Duration renewDeadline, Duration retryPeriod) {
  /** Off; client-go's timings (15 s lease, 10 s renew deadline, 2 s retry). */
  public static final LeaderElection DEFAULT = new LeaderElection(false, "", "",
      Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

  public LeaderElection {
    if (enabled && podName.isEmpty()) {
      throw new InvalidSettingException("boot.leader-election-pod-name", podName,
          "must be set (or POD_NAME, or HOSTNAME) when boot.leader-elect=true");
    }
    // the Lease holds whole seconds (leaseDurationSeconds); anything else would be truncated for the others
    if (leaseDuration.toMillis() % 1000 != 0) {
      throw new InvalidSettingException("boot.leader-election-lease-duration", leaseDuration.toString(),
          "must be whole seconds (the Lease records leaseDurationSeconds)");
    }
    if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
      throw new InvalidSettingException("boot.leader-election-renew-deadline", renewDeadline.toString(),
          "must lie between boot.leader-election-retry-period and boot.leader-election-lease-duration");
    }
  }
}
