package dev.ironcore.boot.config;

import dev.ironcore.boot.net.TrustedProxies;
import java.util.Locale;
import java.util.Set;

/**
 * Who may fetch a machine's secrets (Ignition, a custom iPXE script): {@code boot.trusted-proxies},
 * {@code boot.client-binding} and {@code boot.client-binding-log-capacity}.
 */
public record ClientBindingSettings(TrustedProxies trustedProxies, Mode mode, int logCapacity) {

  /** What happens when the client of a request is not one of the machine's addresses. */
  public enum Mode {
    /** Serve, as the Go operator does; nothing checked, logged or counted. */
    OFF,
    /** Serve; log, count and mark the delivery condition when the client is not the machine. */
    AUDIT,
    /** Refuse a client that is not one of the machine's known addresses; audit when none are known. */
    ENFORCE,
    /** As enforce, and refuse while the machine has no known address. */
    STRICT;

    public String settingValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final ClientBindingSettings DEFAULT = new ClientBindingSettings(TrustedProxies.none(), Mode.AUDIT, 10_000);

  private static final Set<String> MODES = Set.of("off", "audit", "enforce", "strict");

  static ClientBindingSettings read(SettingReader read) {
    TrustedProxies proxies;
    String rawProxies = read.string("boot.trusted-proxies", "");
    try {
      proxies = TrustedProxies.parse(read.list("boot.trusted-proxies", ""));
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("boot.trusted-proxies", rawProxies, e.getMessage());
    }
    Mode mode = Mode.valueOf(read.oneOf("boot.client-binding", DEFAULT.mode().settingValue(), MODES)
        .toUpperCase(Locale.ROOT));
    return new ClientBindingSettings(proxies, mode, logCapacity(read));
  }

  private static int logCapacity(SettingReader read) {
    String key = "boot.client-binding-log-capacity";
    String value = read.string(key, String.valueOf(DEFAULT.logCapacity()));
    try {
      int capacity = Integer.parseInt(value);
      if (capacity > 0 && capacity <= 10_000_000) {
        return capacity;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidSettingException(key, value, "expected a whole number from 1 to 10000000");
  }
}
