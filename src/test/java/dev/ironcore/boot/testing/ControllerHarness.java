package dev.ironcore.boot.testing;

import dev.ironcore.boot.config.ButaneSettings;
import dev.ironcore.boot.config.ReconcileTiming;
import dev.ironcore.boot.config.SecretWatchSettings;
import dev.ironcore.boot.ignition.ButaneTranslations;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.reconcile.BootConfigControllers;
import dev.ironcore.boot.reconcile.BootConfigKind;
import dev.ironcore.boot.reconcile.Controllers;
import dev.ironcore.boot.reconcile.IgnitionSecretCheck;
import dev.ironcore.boot.reconcile.ReconcileComponent;
import dev.ironcore.boot.reconcile.StatusWriter;
import dev.ironcore.boot.reconcile.sbc.BootImages;
import dev.ironcore.boot.reconcile.sbc.ChildConfigs;
import dev.ironcore.boot.reconcile.sbc.DesiredBootConfigs;
import dev.ironcore.boot.reconcile.sbc.ServerBootConfigControllers;
import dev.ironcore.boot.reconcile.sbc.ServerBootConfigReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Every controller of routes/controllers.camel.yaml against a (mock) API server: real informers,
 * work queues and routes, with the given timing, status writer and image resolution.
 */
public final class ControllerHarness implements AutoCloseable {
  public static final String IPXE_SERVICE_URL = "http://boot.example:8082";
  public static final String IMAGE_SERVER_URL = "http://boot.example:8083/httpboot";

  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final BootConfigIndex index;
  private final Controllers controllers;
  private final CamelContext camel = new DefaultCamelContext();
  private final ButaneTranslations butane = new ButaneTranslations(ButaneSettings.DEFAULT, metrics);

  public ControllerHarness(KubernetesClient client, ReconcileTiming timing, StatusWriter statusWriter,
      BootImages images) throws Exception {
    this(client, timing, statusWriter, images, SecretWatchSettings.DEFAULT);
  }

  /** With the given namespaces and bound on watched Secrets. */
  public ControllerHarness(KubernetesClient client, ReconcileTiming timing, StatusWriter statusWriter,
      BootImages images, SecretWatchSettings secretWatch) throws Exception {
    index = new BootConfigIndex(client, Duration.ofMinutes(10), secretWatch, metrics);
    controllers = new Controllers(index, timing, metrics);
    BootConfigControllers bootConfigs = new BootConfigControllers(index,
        new IgnitionSecretCheck(butane), statusWriter);
    camel.getRegistry().bind("reconcile", new ReconcileComponent(controllers));
    camel.getRegistry().bind("ipxeBootConfigReconciler",
        bootConfigs.define(controllers, BootConfigControllers.IPXE, BootConfigKind.IPXE));
    camel.getRegistry().bind("httpBootConfigReconciler",
        bootConfigs.define(controllers, BootConfigControllers.HTTP, BootConfigKind.HTTP));
    camel.getRegistry().bind("serverBootConfigReconciler", new ServerBootConfigControllers(index).define(
        controllers, images, new ServerBootConfigReconciler.ChildWork(
            new DesiredBootConfigs(IPXE_SERVICE_URL, IMAGE_SERVER_URL), new ChildConfigs(client, index)),
        statusWriter));
    for (String name : controllers.names()) {
      camel.getPropertiesComponent().addInitialProperty("reconcile." + name + ".enabled", "true");
    }
    PluginHelper.getRoutesLoader(camel).loadRoutes(
        ResourceHelper.resolveMandatoryResource(camel, "classpath:routes/controllers.camel.yaml"));
    controllers.names().forEach(controllers::start);
    index.start();
    camel.start();
  }

  public SimpleMeterRegistry metrics() {
    return metrics;
  }

  public BootConfigIndex index() {
    return index;
  }

  @Override
  public void close() throws Exception {
    camel.close();
    controllers.close();
    butane.close();
    index.close();
  }
}
