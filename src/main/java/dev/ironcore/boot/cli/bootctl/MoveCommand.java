package dev.ironcore.boot.cli.bootctl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** {@code bootctl move}: copies the boot configs and their ignition Secrets from one cluster to another. */
final class MoveCommand {
  private MoveCommand() {}

  static int run(String[] args, PrintStream stdout, PrintStream stderr) {
    if (MoveOptions.wantsHelp(args)) {
      stdout.println(MoveOptions.USAGE);
      return BootctlCommand.OK;
    }
    MoveOptions options;
    try {
      options = MoveOptions.parse(args);
    } catch (UsageException e) {
      stderr.println("bootctl move: " + e.getMessage());
      stderr.println(MoveOptions.USAGE);
      return BootctlCommand.USAGE_ERROR;
    }
    try {
      move(options, stdout);
      return BootctlCommand.OK;
    } catch (MoveException e) {
      stderr.println("bootctl move: " + e.getMessage());
      return BootctlCommand.FAILED;
    }
  }

  private static void move(MoveOptions options, PrintStream stdout) {
    Consumer<String> detail = options.verbose() ? stdout::println : line -> { };
    try (KubernetesClient source = connect(options.sourceKubeconfig(), "source");
        KubernetesClient target = connect(options.targetKubeconfig(), "target")) {
      MovePlan plan = new MovePlanner(source, target, options, detail).plan();
      List<PlannedCreate> creates = plan.creates();
      if (options.dryRun()) {
        creates.forEach(create -> stdout.println("would create " + create.describe()
            + (create.note().isEmpty() ? "" : ", " + create.note())));
        stdout.println("dry run: " + creates.size() + " object(s) would be moved to the target cluster, "
            + plan.identical() + " identical object(s) skipped; nothing was written");
        return;
      }
      new MoveApplier(target, detail).apply(creates);
      stdout.println("moved " + creates.size() + " object(s) to the target cluster, "
          + plan.identical() + " identical object(s) skipped");
    }
  }

  /**
   * A client for the kubeconfig's current context. It never retries a request: a create repeated after a lost
   * answer could fail on its own first attempt, and the roll-back would then miss that object.
   */
  private static KubernetesClient connect(String kubeconfig, String cluster) {
    String failure = "failed to construct a " + cluster + " cluster client: failed to load cluster kubeconfig: ";
    if (!Files.isRegularFile(Path.of(kubeconfig)) || !Files.isReadable(Path.of(kubeconfig))) {
      throw new MoveException(failure + "cannot read " + kubeconfig);
    }
    Config config;
    try {
      config = Config.fromKubeconfig(new File(kubeconfig));
    } catch (RuntimeException e) {
      throw new MoveException(failure + e.getMessage());
    }
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build()).build();
  }
}
