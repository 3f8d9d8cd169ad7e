package dev.ironcore.boot.cli.bootctl;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code boot-operator bootctl COMMAND}: the Go project's bootctl CLI, whose one command is {@code move}. */
public final class BootctlCommand {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE_ERROR = 2;
  static final String USAGE = """
      Usage: boot-operator bootctl COMMAND [flags]
      CLI client for boot-operator.
      Commands:
        move  move HTTPBootConfigs, IPXEBootConfigs and their ignition Secrets from one cluster to another
      Run 'boot-operator bootctl move --help' for its flags.""";

  private BootctlCommand() {}

  public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
    if (args.length == 0) {
      stderr.println("bootctl: missing command");
      stderr.println(USAGE);
      return USAGE_ERROR;
    }
    return switch (args[0]) {
      case "move" -> MoveCommand.run(Arrays.copyOfRange(args, 1, args.length), stdout, stderr);
      case "help", "--help", "-h" -> {
        stdout.println(USAGE);
        yield OK;
      }
      default -> {
        stderr.println("bootctl: unknown command \"" + args[0] + "\"");
        stderr.println(USAGE);
        yield USAGE_ERROR;
      }
    };
  }
}
