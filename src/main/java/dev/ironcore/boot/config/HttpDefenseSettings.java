package dev.ironcore.boot.config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How the HTTP servers bound what a client may hold: the time to send a request head, the time a
 * connection may move no byte, the size of a request line and of the headers, and how many connections
 * a port and one client address may have open.
 */
public record HttpDefenseSettings(
    Duration headerTimeout,
    Duration idleTimeout,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    int maxConnectionsPerPort,
    int maxConnectionsPerClient,
    int refusalLogCapacity) {

  /** 10 s for a head, 60 s without a byte, 8 KiB line, 16 KiB headers, 10,000 per port, 512 per client. */
  public static final HttpDefenseSettings DEFAULT =
      new HttpDefenseSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 8192, 16384, 10_000, 512, 10_000);
  private static final Pattern COUNT = Pattern.compile("\\d{1,7}");
  /** Netty holds a request head in one buffer: keep it far from what a heap may hold. */
  private static final long MAX_HEAD_BYTES = 1024 * 1024;

  static HttpDefenseSettings read(SettingReader read) {
    return new HttpDefenseSettings(
        read.duration("boot.http-header-timeout", "10s"),
        read.duration("boot.http-idle-timeout", "60s"),
        headBytes(read, "boot.http-max-request-line", "8Ki"),
        headBytes(read, "boot.http-max-header-size", "16Ki"),
        count(read, "boot.max-connections-per-port", DEFAULT.maxConnectionsPerPort()),
        count(read, "boot.max-connections-per-client", DEFAULT.maxConnectionsPerClient()),
        count(read, "boot.connection-refusal-log-capacity", DEFAULT.refusalLogCapacity()));
  }

  private static int headBytes(SettingReader read, String key, String dflt) {
    long bytes = read.bytes(key, dflt);
    if (bytes < 256 || bytes > MAX_HEAD_BYTES) {
      throw new InvalidSettingException(key, String.valueOf(bytes), "expected a size from 256 to 1Mi");
    }
    return (int) bytes;
  }

  /** A positive whole number below ten million. */
  private static int count(SettingReader read, String key, int dflt) {
    String value = read.string(key, String.valueOf(dflt));
    if (!COUNT.matcher(value).matches() || Integer.parseInt(value) == 0) {
      throw new InvalidSettingException(key, value, "expected a positive whole number below 10000000");
    }
    return Integer.parseInt(value);
  }
}
