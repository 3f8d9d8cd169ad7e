package dev.ironcore.boot;

import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.ignition.ButaneTranslations;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.leader.LeaseElector;
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
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * The controllers' side of the wiring: the {@code reconcile:} component, one reconciler bean per
 * route of routes/controllers.camel.yaml, the route switches from {@code boot.controllers}, and with
 * {@code boot.leader-elect} the Lease elector the controllers' workers ask before every reconcile.
 */
final class ControllerBeans implements AutoCloseable {
  private final BootSettings settings;
  private final KubernetesClient client;
  private final BootConfigIndex index;
  private final Controllers controllers;
  private final ManifestResolver resolver;
  private final Optional<LeaseElector> leadership;

  ControllerBeans(BootSettings settings, KubernetesClient client, BootConfigIndex index, Controllers controllers,
      ManifestResolver resolver, MeterRegistry metrics) {
    this.settings = settings;
    this.client = client;
    this.index = index;
    this.controllers = controllers;
    this.resolver = resolver;
    this.leadership = settings.leaderElect()
        ? Optional.of(LeaseElector.of(client, settings.leaderElection(), settings.leaderElectionId()))
        : Optional.empty();
    leadership.ifPresent(elector -> {
      controllers.reconcileOnlyWhile(elector::leads);
      // controller-runtime's gauge (client-go's leader election metrics), so dashboards keep working
      Gauge.builder("leader_election_master_status", elector, leads -> leads.leads() ? 1 : 0)
          .tag("name", elector.leaseName()).register(metrics);
    });
  }

  void bind(BiConsumer<String, Object> registry, ButaneTranslations butane) {
    BootConfigControllers bootConfigs = new BootConfigControllers(index, new IgnitionSecretCheck(butane),
        new JsonPatchStatusWriter(client));
    registry.accept("reconcile", new ReconcileComponent(controllers));
    registry.accept("ipxeBootConfigReconciler",
        bootConfigs.define(controllers, BootConfigControllers.IPXE, BootConfigKind.IPXE));
    registry.accept("httpBootConfigReconciler",
        bootConfigs.define(controllers, BootConfigControllers.HTTP, BootConfigKind.HTTP));
    registry.accept("serverBootConfigReconciler", serverBootConfigReconciler());
  }

  /** One SBC controller for the boot methods the serverbootconfigpxe/-http switches enable. */
  private Object serverBootConfigReconciler() {
    BootImages images = new BootImages(resolver, new RegistryAllowList(settings.registrySettings()),
        settings.architecture(), ServerBootConfigControllers.enabledMethods(settings.controllers()));
    ServerBootConfigReconciler.ChildWork children = new ServerBootConfigReconciler.ChildWork(
        new DesiredBootConfigs(settings.ipxeServiceUrl(), settings.imageServerUrl()), new ChildConfigs(client, index));
    return new ServerBootConfigControllers(index).define(controllers, images, children, new JsonPatchStatusWriter(client));
  }

  /** {@code reconcile.<name>.enabled}: each controller route's autoStartup. */
  Properties routeProperties() {
    Properties properties = new Properties();
    controllers.names().forEach(name ->
        properties.setProperty("reconcile." + name + ".enabled", String.valueOf(runs(name))));
    return properties;
  }

  /** Starts the enabled controllers and, with leader election, the elector. */
  void startEnabled() {
    controllers.names().stream().filter(this::runs).forEach(controllers::start);
    leadership.ifPresent(LeaseElector::start);
  }

  /** Stops electing; once Camel has stopped the reconcile routes, so the Lease can be handed over at once. */
  @Override
  public void close() {
    leadership.ifPresent(LeaseElector::close);
  }

  /** Whether a defined controller runs: the SBC one when either of its boot methods is switched on. */
  private boolean runs(String controller) {
    return ServerBootConfigControllers.NAME.equals(controller)
        ? !ServerBootConfigControllers.enabledMethods(settings.controllers()).isEmpty()
        : settings.controllers().contains(controller);
  }
}
