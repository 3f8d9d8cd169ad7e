package dev.ironcore.boot;

import dev.ironcore.boot.cli.ButaneCommand;
import dev.ironcore.boot.cli.bootctl.BootctlCommand;
import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.config.CommandLine;
import dev.ironcore.boot.config.InvalidSettingException;
import dev.ironcore.boot.config.SettingsSource;
import dev.ironcore.boot.embedded.ClusterConnection;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts the boot service with the Go manager's command line ({@link CommandLine}), or with
 * {@code butane ...} translates a Butane config on the command line, or with {@code bootctl move ...}
 * moves boot configs between clusters.
 */
public final class BootOperatorMain {
  /** As Go's {@code flag} package: a command line that cannot be run exits with 2. */
  static final int USAGE_ERROR = 2;

  private BootOperatorMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("butane")) {
      System.exit(ButaneCommand.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("bootctl")) {
      System.exit(BootctlCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    Launch launch = prepare(args, System.getenv(), System.out, System.err);
    if (launch.settings() == null) {
      System.exit(launch.exitStatus());
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    BootApplication.create(launch.settings(), ClusterConnection.open(launch.settings(), System.getenv())).run();
  }

  /** The settings to start with, or (settings null) the exit status when the service must not start. */
  record Launch(BootSettings settings, int exitStatus) {}

  /** Reads the command line, applies its logging flags and reads every setting; nothing is started. */
  static Launch prepare(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine.Parsed parsed;
    try {
      parsed = CommandLine.parse(args);
    } catch (CommandLine.UsageException e) {
      return usageError(e.getMessage(), err);
    }
    if (parsed.help()) {
      out.print(CommandLine.usage());
      return new Launch(null, 0);
    }
    parsed.logging().apply();
    SettingsSource source = new SettingsSource(env, parsed.overrides());
    BootSettings settings;
    try {
      settings = BootSettings.from(source, env::get);
    } catch (InvalidSettingException e) {
      return usageError(e.getMessage(), err);
    }
    Set<String> unknown = source.unreadOverrides();
    if (!unknown.isEmpty()) {
      return usageError("flag provided but not defined: --" + unknown.iterator().next(), err);
    }
    return new Launch(settings, 0);
  }

  private static Launch usageError(String message, PrintStream err) {
    err.println(message);
    err.println("Run with --help for every flag.");
    return new Launch(null, USAGE_ERROR);
  }
}
