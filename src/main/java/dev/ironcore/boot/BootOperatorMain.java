package dev.ironcore.boot;

import java.util.Map;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Starts the boot service. */
public final class BootOperatorMain {
  private BootOperatorMain() {}

  public static void main(String[] args) throws Exception {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    BootApplication.create(Map.of()).run();
  }
}
