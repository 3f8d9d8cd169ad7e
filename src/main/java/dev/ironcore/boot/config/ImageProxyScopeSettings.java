package dev.ironcore.boot.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which blobs the image proxy relays: {@code boot.image-proxy-scope} and, for its audit mode, how many
 * image and client pairs it remembers having logged ({@code boot.image-proxy-audit-log-capacity}).
 */
public record ImageProxyScopeSettings(Scope scope, int auditLogCapacity) {

  /** What a blob request no boot config references gets. */
  public enum Scope {
    /** 404, and no registry is asked: only what a boot needs is relayed. */
    REFERENCED,
    /** Served as with {@link #ALLOWED_REGISTRIES}; logged once per image and client, and counted. */
    AUDIT,
    /** Served from any allowed registry, as the Go operator does; nothing logged. */
    ALLOWED_REGISTRIES;

    public String settingValue() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Scope ofSettingValue(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** Audit: a Go installation's operators fetch layers by hand (upstream's documentation shows it). */
  public static final ImageProxyScopeSettings DEFAULT = new ImageProxyScopeSettings(Scope.AUDIT, 10_000);

  private static final Set<String> SCOPES =
      Arrays.stream(Scope.values()).map(Scope::settingValue).collect(Collectors.toUnmodifiableSet());

  static ImageProxyScopeSettings read(SettingReader read) {
    return new ImageProxyScopeSettings(
        Scope.ofSettingValue(read.oneOf("boot.image-proxy-scope", DEFAULT.scope().settingValue(), SCOPES)),
        ButaneSettings.count(read, "boot.image-proxy-audit-log-capacity", DEFAULT.auditLogCapacity()));
  }
}
