package dev.ironcore.boot.config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Bounds on Butane translation, so that no Secret can stall the service: the largest input, how long
 * one translation may run, how many run at once and wait, and how many Secret versions keep their result.
 */
public record ButaneSettings(long maxInputBytes, Duration timeout, int threads, int queue, int cacheEntries) {
  /** 1 MiB of Butane, 5 s, 2 threads with 64 waiting translations, 1024 Secret versions. */
  public static final ButaneSettings DEFAULT = new ButaneSettings(1024 * 1024, Duration.ofSeconds(5), 2, 64, 1024);
  private static final Pattern COUNT = Pattern.compile("\\d{1,6}");

  static ButaneSettings from(SettingReader read) {
    return new ButaneSettings(
        read.bytes("boot.butane-max-bytes", "1Mi"),
        read.duration("boot.butane-timeout", "5s"),
        count(read, "boot.butane-threads", DEFAULT.threads()),
        count(read, "boot.butane-queue", DEFAULT.queue()),
        count(read, "boot.butane-cache-entries", DEFAULT.cacheEntries()));
  }

  public ButaneSettings {
    if (maxInputBytes < 1 || maxInputBytes > Integer.MAX_VALUE - 8) {
      throw new InvalidSettingException("boot.butane-max-bytes", String.valueOf(maxInputBytes),
          "expected a positive byte count below 2Gi");
    }
  }

  /** A positive whole number below a million. */
  static int count(SettingReader read, String key, int dflt) {
    String value = read.string(key, String.valueOf(dflt));
    if (!COUNT.matcher(value).matches() || Integer.parseInt(value) == 0) {
      throw new InvalidSettingException(key, value, "expected a positive whole number");
    }
    return Integer.parseInt(value);
  }
}
