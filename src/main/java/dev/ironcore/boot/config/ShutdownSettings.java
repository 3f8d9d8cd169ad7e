package dev.ironcore.boot.config;

import java.time.Duration;

/**
 * How the service stops on SIGTERM: for {@code delay} it still accepts and serves new connections
 * (its readiness already failing) while the Service's endpoints and load balancers drop the pod;
 * then it refuses new ones and waits for the answers under way, each connection closed once its
 * answer is sent, until none is left or {@code timeout} (counted from the signal) has passed.
 */
public record ShutdownSettings(Duration delay, Duration timeout) {
  /** 5 s, and 25 s in all: within Kubernetes' default terminationGracePeriodSeconds of 30. */
  public static final ShutdownSettings DEFAULT = new ShutdownSettings(Duration.ofSeconds(5), Duration.ofSeconds(25));

  static ShutdownSettings read(SettingReader read) {
    Duration delay = read.duration("boot.shutdown-delay", DEFAULT.delay());
    Duration timeout = read.duration("boot.shutdown-timeout", DEFAULT.timeout());
    if (timeout.compareTo(delay) <= 0) {
      throw new InvalidSettingException("boot.shutdown-timeout", timeout.toMillis() + "ms",
          "expected longer than boot.shutdown-delay (" + delay.toMillis() + "ms): the answers under way need time after it");
    }
    return new ShutdownSettings(delay, timeout);
  }
}
