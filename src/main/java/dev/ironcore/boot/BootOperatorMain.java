package dev.ironcore.boot;

import dev.ironcore.boot.cli.ButaneCommand;
import dev.ironcore.boot.cli.bootctl.BootctlCommand;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts the boot service, or with {@code butane ...} translates a Butane config on the command line, or with
 * {@code bootctl move ...} moves boot configs between clusters.
 */
public final class BootOperatorMain {
  private BootOperatorMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("butane")) {
      System.exit(ButaneCommand.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("bootctl")) {
      System.exit(BootctlCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    BootApplication.create(Map.of()).run();
  }
}
