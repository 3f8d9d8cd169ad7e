package dev.ironcore.boot;

import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.ignition.ButaneTranslations;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.leader.ControllerLeadership;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryAllowList;
import dev.ironcore.boot.reconcile.BootConfigControllers;
import dev.ironcore.boot.reconcile.BootConfigKind;
import dev.ironcore.boot.reconcile.Controllers;
import dev.ironcore.boot.reconcile.IgnitionSecretCheck;
import dev.ironcore.boot.reconcile.JsonPatchStatusWriter;
import dev.ironcore.boot.reconcile.ReconcileComponent;
import dev.ironcore.boot.reconcile.sbc.BootImages;
import dev.ironcore.boot.reconcile.sbc.ChildConfigs;
import dev.ironcore.boot.reconcile.sbc.DesiredBootConfigs;
import dev.ironcore.boot.reconcile.sbc.ServerBootConfigControllers;
import dev.ironcore.boot.reconcile.sbc.ServerBootConfigReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * The controllers' side of the wiring: the {@code reconcile:} component, one reconciler bean per
 * route of routes/controllers.camel.yaml, the route switches from {@code boot.controllers}, and with
 * {@code boot.leader-elect} the cluster service their {@code master:} consumers ask.
 */
record ControllerBeans(BootSettings settings, KubernetesClient client, BootConfigIndex index,
    Controllers controllers, ManifestResolver resolver) {

  void bind(BiConsumer<String, Object> registry, ButaneTranslations butane) {
    BootConfigControllers bootConfigs = new BootConfigControllers(index, new IgnitionSecretCheck(butane),
        new JsonPatchStatusWriter(client));
    registry.accept("reconcile", new ReconcileComponent(controllers));
    registry.accept("ipxeBootConfigReconciler",
        bootConfigs.define(controllers, BootConfigControllers.IPXE, BootConfigKind.IPXE));
    registry.accept("httpBootConfigReconciler",
        bootConfigs.define(controllers, BootConfigControllers.HTTP, BootConfigKind.HTTP));
    registry.accept("serverBootConfigReconciler", serverBootConfigReconciler());
    if (settings.leaderElect()) {
      // bound before start: camel-main adds it as a service (camel.beans.* would come too late)
      KubernetesClusterService leadership =
          ControllerLeadership.clusterService(settings.leaderElection(), client.getConfiguration());
      registry.accept("controllerLeadership", leadership);
      controllers.reconcileOnlyWhile(() -> ControllerLeadership.leads(leadership));
    }
  }

  /** One SBC controller for the boot methods the serverbootconfigpxe/-http switches enable. */
  private Object serverBootConfigReconciler() {
    BootImages images = new BootImages(resolver, new RegistryAllowList(settings.registrySettings()),
        settings.architecture(), ServerBootConfigControllers.enabledMethods(settings.controllers()));
    ServerBootConfigReconciler.ChildWork children = new ServerBootConfigReconciler.ChildWork(
        new DesiredBootConfigs(settings.ipxeServiceUrl(), settings.imageServerUrl()), new ChildConfigs(client, index));
    return new ServerBootConfigControllers(index).define(controllers, images, children, new JsonPatchStatusWriter(client));
  }

  /** {@code reconcile.<name>.enabled} (each controller route's autoStartup) and the consumer prefix. */
  Properties routeProperties() {
    Properties properties = new Properties();
    controllers.names().forEach(name ->
        properties.setProperty("reconcile." + name + ".enabled", String.valueOf(runs(name))));
    properties.setProperty(ControllerLeadership.CONSUMER_PREFIX_PROPERTY,
        ControllerLeadership.consumerPrefix(settings.leaderElection()));
    return properties;
  }

  void startEnabled() {
    controllers.names().stream().filter(this::runs).forEach(controllers::start);
  }

  /** Whether a defined controller runs: the SBC one when either of its boot methods is switched on. */
  private boolean runs(String controller) {
    return ServerBootConfigControllers.NAME.equals(controller)
        ? !ServerBootConfigControllers.enabledMethods(settings.controllers()).isEmpty()
        : settings.controllers().contains(controller);
  }
}
