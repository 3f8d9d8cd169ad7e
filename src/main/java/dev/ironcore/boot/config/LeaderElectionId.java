package dev.ironcore.boot.config;

import java.util.regex.Pattern;

/**
 * The name of the Lease the controllers elect their leader on: by default the Go manager's
 * LeaderElectionID, so that during a rolling replacement a Go replica and ours compete for one lock.
 */
public record LeaderElectionId(String leaseName) {
  /** An object name as the API server accepts it: a DNS-1123 subdomain. */
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** The Go manager's LeaderElectionID (cmd/main.go). */
  public static final LeaderElectionId GO_MANAGER = new LeaderElectionId("e9f0940b.ironcore.dev");

  public LeaderElectionId {
    if (leaseName.length() > 253 || !SUBDOMAIN.matcher(leaseName).matches()) {
      throw new InvalidSettingException("boot.leader-election-id", leaseName,
          "must be a Lease name: lower-case letters, digits, '-' and '.', at most 253 characters");
    }
  }

  static LeaderElectionId read(SettingReader read) {
    return new LeaderElectionId(read.string("boot.leader-election-id", GO_MANAGER.leaseName()));
  }
}
