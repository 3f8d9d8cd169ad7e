package dev.ironcore.boot.config;

import dev.ironcore.boot.logging.LogOptions;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Go manager's command line ({@code cmd/main.go}), so that its Deployment and Helm chart start
 * this service unchanged: every Go flag in {@code --flag=value} and {@code --flag value} form (one or
 * two dashes, as Go's {@code flag} package takes them; booleans also bare), mapped to our
 * {@code boot.*} settings (COMPAT §1), plus controller-runtime's {@code --zap-*} logging flags. Our own
 * settings are reachable as {@code --boot.<name>=value}. Arguments win over the environment, which
 * wins over {@code application.properties}.
 */
public final class CommandLine {
  /** A Go flag: the setting it sets, whether it is a boolean, and its help line. */
  private record Flag(String name, String property, boolean bool, String help) {}

  private static final List<Flag> GO_FLAGS = List.of(
      new Flag("architecture", "boot.architecture", false, "Target system architecture (e.g., amd64, arm64)"),
      new Flag("ipxe-service-port", "boot.ipxe-service-port", false, "iPXE service port (with IPXE_SERVER_ADDRESS)"),
      new Flag("ipxe-service-protocol", "boot.ipxe-service-protocol", false, "iPXE service protocol (with IPXE_SERVER_ADDRESS)"),
      new Flag("ipxe-service-url", "boot.ipxe-service-url", false, "iPXE service URL put into scripts and layer URLs"),
      new Flag("image-server-url", "boot.image-server-url", false, "OS image server URL (prefix of UKI URLs)"),
      new Flag("default-httpboot-oci-image", "boot.default-httpboot-oci-image", false,
          "default OCI image reference for HTTP boot"),
      new Flag("default-httpboot-uki-url", "boot.default-httpboot-uki-url", false,
          "deprecated: use --default-httpboot-oci-image"),
      new Flag("metrics-bind-address", "boot.metrics-bind-address", false, "address of the metrics endpoint"),
      new Flag("health-probe-bind-address", "boot.health-probe-bind-address", false, "address of the probe endpoints"),
      new Flag("boot-server-address", "boot.boot-server-address", false, "address of the boot server"),
      new Flag("image-proxy-server-address", "boot.image-proxy-server-address", false, "address of the image proxy"),
      new Flag("leader-elect", "boot.leader-elect", true, "only the Lease holder reconciles"),
      new Flag("metrics-cert-path", "boot.metrics-cert-path", false,
          "directory with the metrics server's certificate"),
      new Flag("metrics-cert-name", "boot.metrics-cert-name", false, "file name of the metrics certificate"),
      new Flag("metrics-cert-key", "boot.metrics-cert-key", false, "file name of the metrics key"),
      new Flag("metrics-secure", "boot.metrics-secure", true, "serve metrics over HTTPS with authentication"),
      new Flag("enable-http2", "boot.enable-http2", true, "allow HTTP/2 on the metrics server"),
      new Flag("allowed-registries", "boot.allowed-registries", false,
          "comma-separated OCI registries the image proxy may reach (default ghcr.io)"),
      new Flag("controllers", "boot.controllers", false,
          "controllers to enable: names, * for all, -name to disable; all: " + BootSettings.ALL_CONTROLLERS));

  private static final List<Flag> ZAP_FLAGS = List.of(
      new Flag("zap-devel", null, true, "development logging: console, debug, stack traces from warn"),
      new Flag("zap-encoder", null, false, "log encoding: json (one object per line) or console"),
      new Flag("zap-log-level", null, false, "debug, info, error, panic, or a verbosity number > 0"),
      new Flag("zap-stacktrace-level", null, false, "level from which stack traces are logged: info, error, panic"),
      new Flag("zap-time-encoding", null, false, "epoch, millis, nano, iso8601, rfc3339 or rfc3339nano"));

  private static final String OWN_PREFIX = "boot.";

  private CommandLine() {}

  /** What the arguments ask for: settings overrides, logging, or the help text. */
  public record Parsed(Map<String, String> overrides, LogOptions logging, boolean help) {}

  /** Parses {@code args}; a {@link UsageException} names the argument that is wrong. */
  public static Parsed parse(String[] args) {
    Map<String, String> overrides = new LinkedHashMap<>();
    Map<String, String> zap = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help") || arg.equals("-help")) {
        return new Parsed(Map.of(), LogOptions.DEFAULT, true);
      }
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        throw new UsageException("unexpected argument " + arg + " (flags only; a boolean flag takes its value as"
            + " --flag=false)");
      }
      String body = arg.substring(arg.startsWith("--") ? 2 : 1);
      int equals = body.indexOf('=');
      String name = equals < 0 ? body : body.substring(0, equals);
      String value = equals < 0 ? null : body.substring(equals + 1);
      Flag flag = flag(name);
      if (value == null) {
        if (flag.bool()) {
          value = "true";
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new UsageException("flag needs an argument: -" + name);
        }
      }
      if (flag.bool() && !value.equals("true") && !value.equals("false")) {
        throw new UsageException("invalid boolean value \"" + value + "\" for -" + name + ": expected true or false");
      }
      if (flag.property() == null) {
        zap.put(name, value);
      } else {
        overrides.put(flag.property(), name.equals("controllers") ? controllers(value) : value);
      }
    }
    return new Parsed(overrides, LogOptions.fromFlags(zap), false);
  }

  /** Every flag with its help line, for {@code --help}. */
  public static String usage() {
    StringBuilder usage = new StringBuilder("""
        Usage: boot-operator [flags]
               boot-operator butane [--strict] [FILE|-]
               boot-operator bootctl move --source-kubeconfig FILE --target-kubeconfig FILE [flags]
        Flags of the Go boot-operator manager (each sets the boot.* setting named after it):
        """);
    GO_FLAGS.forEach(flag -> describe(usage, flag));
    usage.append("Logging (controller-runtime's zap flags):\n");
    ZAP_FLAGS.forEach(flag -> describe(usage, flag));
    usage.append("""
        Every other setting: --boot.<name>=value (or --boot.<name> value), e.g. --boot.blob-cache-max-bytes=50Gi;
        see README.md for the list. An argument wins over the environment (BOOT_<NAME>), which wins over
        application.properties.
        """);
    return usage.toString();
  }

  private static void describe(StringBuilder usage, Flag flag) {
    usage.append(String.format("  --%-28s %s%n", flag.name() + (flag.bool() ? "" : " value"), flag.help()));
  }

  private static Flag flag(String name) {
    if (name.startsWith(OWN_PREFIX) && name.length() > OWN_PREFIX.length()) {
      return new Flag(name, name, false, "");
    }
    for (List<Flag> flags : List.of(GO_FLAGS, ZAP_FLAGS)) {
      for (Flag flag : flags) {
        if (flag.name().equals(name)) {
          return flag;
        }
      }
    }
    throw new UsageException("flag provided but not defined: -" + name);
  }

  /**
   * Go's switch list ({@code ironcore-dev/controller-utils}): {@code *} enables every controller, a
   * name enables it, {@code -name} disables it, empty enables none; an unknown name is refused.
   */
  static String controllers(String value) {
    Set<String> enabled = new LinkedHashSet<>();
    List<String> items = value.isEmpty() ? List.of() : List.of(value.split(",", -1));
    if (items.contains("*")) {
      enabled.addAll(BootSettings.ALL_CONTROLLERS);
    }
    for (String item : items) {
      String name = item.startsWith("-") ? item.substring(1) : item;
      if (item.equals("*")) {
        continue;
      }
      if (!BootSettings.ALL_CONTROLLERS.contains(name)) {
        throw new UsageException("invalid value \"" + value + "\" for flag -controllers: unknown item: " + name);
      }
      if (item.startsWith("-")) {
        enabled.remove(name);
      } else {
        enabled.add(name);
      }
    }
    return enabled.isEmpty() ? SettingReader.NO_CONTROLLERS : String.join(",", enabled);
  }

  /** A command line that cannot be run: the message names the argument (exit status 2, as Go's flag package). */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message, null, false, false);
    }
  }
}
