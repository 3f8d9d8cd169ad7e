package dev.ironcore.boot.cli.bootctl;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags of {@code bootctl move}, parsed as the Go command's flag library does: {@code --flag=value} or
 * {@code --flag value}; booleans bare or as {@code --flag=true|false}; the last occurrence wins.
 */
record MoveOptions(String sourceKubeconfig, String targetKubeconfig, String namespace, boolean requireOwners,
    boolean dryRun, boolean verbose) {

  static final String USAGE = """
      Usage: boot-operator bootctl move --source-kubeconfig FILE --target-kubeconfig FILE [flags]
      Moves HTTPBootConfigs, IPXEBootConfigs and their ignition Secrets from one cluster to another.
        --source-kubeconfig FILE  kubeconfig of the source cluster (required)
        --target-kubeconfig FILE  kubeconfig of the target cluster (required)
        --namespace NS            move only this namespace (default: all namespaces)
        --require-owners          fail when a config's owner ServerBootConfiguration is not in the target cluster
        --dry-run                 print what would be moved, write nothing
        --verbose                 print every step
        --help                    show this help""";

  private static final List<String> STRING_FLAGS = List.of("source-kubeconfig", "target-kubeconfig", "namespace");

  /** True when {@code args} ask for help anywhere before a {@code --}: help then wins over any other argument. */
  static boolean wantsHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals("--help") || arg.equals("-h") || arg.equals("--help=true")) {
        return true;
      }
    }
    return false;
  }

  static MoveOptions parse(String[] args) throws UsageException {
    Builder options = new Builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        rejectPositional(args, i + 1);
        break;
      } else if (arg.startsWith("--")) {
        String name = arg.substring(2);
        String value = null;
        int equals = name.indexOf('=');
        if (equals >= 0) {
          value = name.substring(equals + 1);
          name = name.substring(0, equals);
        }
        if (STRING_FLAGS.contains(name) && value == null) {
          if (i + 1 == args.length) {
            throw new UsageException("flag needs an argument: --" + name);
          }
          value = args[++i];
        }
        options.set(name, value);
      } else if (arg.startsWith("-") && arg.length() > 1) {
        throw new UsageException("unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg);
      } else {
        throw new UsageException("unexpected argument \"" + arg + "\" (move takes only flags)");
      }
    }
    return options.build();
  }

  private static void rejectPositional(String[] args, int from) throws UsageException {
    if (from < args.length) {
      throw new UsageException("unexpected argument \"" + args[from] + "\" (move takes only flags)");
    }
  }

  private static final class Builder {
    private String sourceKubeconfig = "";
    private String targetKubeconfig = "";
    private String namespace = "";
    private boolean requireOwners;
    private boolean dryRun;
    private boolean verbose;

    void set(String name, String value) throws UsageException {
      switch (name) {
        case "source-kubeconfig" -> sourceKubeconfig = value;
        case "target-kubeconfig" -> targetKubeconfig = value;
        case "namespace" -> namespace = value;
        case "require-owners" -> requireOwners = bool(name, value);
        case "dry-run" -> dryRun = bool(name, value);
        case "verbose" -> verbose = bool(name, value);
        default -> throw new UsageException("unknown flag: --" + name);
      }
    }

    /** Go's strconv.ParseBool spellings. */
    private static boolean bool(String name, String value) throws UsageException {
      if (value == null) {
        return true;
      }
      return switch (value) {
        case "1", "t", "T", "true", "TRUE", "True" -> true;
        case "0", "f", "F", "false", "FALSE", "False" -> false;
        default -> throw new UsageException(
            "invalid argument \"" + value + "\" for \"--" + name + "\" flag: want true or false");
      };
    }

    MoveOptions build() throws UsageException {
      List<String> missing = new ArrayList<>();
      if (sourceKubeconfig.isEmpty()) {
        missing.add("\"source-kubeconfig\"");
      }
      if (targetKubeconfig.isEmpty()) {
        missing.add("\"target-kubeconfig\"");
      }
      if (!missing.isEmpty()) {
        throw new UsageException("required flag(s) " + String.join(", ", missing) + " not set");
      }
      return new MoveOptions(sourceKubeconfig, targetKubeconfig, namespace, requireOwners, dryRun, verbose);
    }
  }
}
