package dev.ironcore.boot;

import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.config.ListenAddress;
import dev.ironcore.boot.config.SettingsSource;
import dev.ironcore.boot.delivery.DeliveryConditions;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.health.ControllersAliveCheck;
import dev.ironcore.boot.health.InformersSyncedCheck;
import dev.ironcore.boot.health.ManagementEndpoints;
import dev.ironcore.boot.httpboot.DefaultUki;
import dev.ironcore.boot.httpboot.HttpBootAnswers;
import dev.ironcore.boot.imageproxy.ImageProxy;
import dev.ironcore.boot.imageproxy.ImageProxySettings;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.ignition.ButaneTranslations;
import dev.ironcore.boot.ignition.IgnitionConfigs;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.ipxe.IpxeScriptRenderer;
import dev.ironcore.boot.ipxe.IpxeScripts;
import dev.ironcore.boot.reconcile.Controllers;
import dev.ironcore.boot.web.BootRequestObserver;
import dev.ironcore.boot.web.BootResponses;
import dev.ironcore.boot.web.CacheControlHeaderFilter;
import dev.ironcore.boot.web.EventLoopHttpEngine;
import dev.ironcore.boot.web.HttpErrors;
import dev.ironcore.boot.web.PortBoundHttpEngine;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the service: settings, cluster connection, index, beans, Camel routes on the boot port, the
 * same routes on the image port, and the management endpoints. Production and tests start it alike.
 */
public final class BootApplication implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BootApplication.class);
  private static final Duration RESYNC = Duration.ofMinutes(10);
  /** Vert.x's default: two per core. */
  private static final int EVENT_LOOPS = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;

  private final BootSettings settings;
  private final ClusterConnection cluster;
  private final Vertx vertx;
  private final PrometheusMeterRegistry metrics;
  private final BootConfigIndex index;
  private final DeliveryConditions deliveries;
  private final RegistryClient registryClient;
  private final ManifestResolver manifestResolver;
  private final Controllers controllers;
  private final ControllerBeans controllerBeans;
  private final ImageProxy imageProxy;
  private final ButaneTranslations butane;
  private final Main main;
  private final List<HttpServer> extraServers = new ArrayList<>();
  private final List<String> serverDeployments = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private BootApplication(BootSettings settings, ClusterConnection cluster) {
    this.settings = settings;
    this.cluster = cluster;
    // Native epoll where it loads (Linux x86_64 and aarch64): blob files are sent corked (TcpCork).
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setWorkerPoolSize(64)
        .setPreferNativeTransport(true));
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = cluster.client();
    this.index = new BootConfigIndex(client, RESYNC);
    this.deliveries = new DeliveryConditions(client, metrics, Clock.systemUTC());
    this.registryClient = new RegistryClient(settings.registrySettings());
    this.manifestResolver = new ManifestResolver(registryClient, settings.registrySettings(), Clock.systemUTC());
    this.controllers = new Controllers(index, settings.reconcileTiming(), metrics);
    this.controllerBeans = new ControllerBeans(settings, client, index, controllers, manifestResolver);
    this.imageProxy = imageProxy(cluster.isEmbedded());
    this.butane = new ButaneTranslations(settings.butane(), metrics);
    this.main = new Main();
    bindBeans();
  }

  /** Reads settings (overrides first), connects to the cluster (or starts the embedded one) and wires Camel. */
  public static BootApplication create(Map<String, String> overrides) throws IOException {
    BootSettings settings = BootSettings.from(new SettingsSource(System.getenv(), overrides), System::getenv);
    return create(settings, ClusterConnection.open(settings, System.getenv()));
  }

  /** Wires Camel for settings already read, against a cluster already connected (tests pass the mock API). */
  public static BootApplication create(BootSettings settings, ClusterConnection cluster) {
    if (cluster.isEmbedded() && !settings.ipxeEnabled()) {
      settings = settings.withIpxeServiceUrl("http://127.0.0.1:" + settings.bootServerAddress().port());
    }
    settings.requireIpxeServiceUrlForPxe();
    return new BootApplication(settings, cluster);
  }

  /** Starts and returns at once (tests). */
  public BootApplication start() throws Exception {
    controllerBeans.startEnabled();
    index.start();
    main.start();
    return this;
  }

  /** Starts and blocks until the JVM is asked to stop (production). */
  public void run() throws Exception {
    controllerBeans.startEnabled();
    index.start();
    main.run();
  }

  public BootSettings settings() {
    return settings;
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  public BootConfigIndex index() {
    return index;
  }

  public CamelContext camelContext() {
    return main.getCamelContext();
  }

  private void bindBeans() {
    main.bind("vertx", vertx);
    main.bind("metricsRegistry", metrics);
    main.bind("platform-http-engine", new PortBoundHttpEngine(settings.bootServerAddress().port()));
    main.bind(EventLoopHttpEngine.NAME, new EventLoopHttpEngine(settings.bootServerAddress().port()));
    main.bind("bootSettings", settings);
    main.bind("bootConfigIndex", index);
    main.bind("ipxeScripts", new IpxeScripts(settings, index, new IpxeScriptRenderer()));
    main.bind("registryClient", registryClient);
    main.bind("manifestResolver", manifestResolver);
    main.bind("httpBootAnswers", new HttpBootAnswers(index, new DefaultUki(settings, manifestResolver)));
    main.bind("ignitionConfigs", new IgnitionConfigs(index, butane));
    main.bind("bootResponses", new BootResponses());
    main.bind(CacheControlHeaderFilter.NAME, new CacheControlHeaderFilter());
    main.bind("httpErrors", new HttpErrors());
    main.bind("bootRequestObserver", new BootRequestObserver(metrics, deliveries));
    controllerBeans.bind(main::bind, butane);
    Properties overrides = camelServerProperties();
    overrides.putAll(controllerBeans.routeProperties());
    main.setOverrideProperties(overrides);
    main.addMainListener(new Lifecycle());
  }

  private Properties camelServerProperties() {
    Properties camel = new Properties();
    camel.setProperty("camel.server.host", settings.bootServerAddress().host());
    camel.setProperty("camel.server.port", String.valueOf(settings.bootServerAddress().port()));
    camel.setProperty("camel.management.host", settings.healthProbeAddress().host());
    camel.setProperty("camel.management.port", String.valueOf(settings.healthProbeAddress().port()));
    return camel;
  }

  private void startExtraServers(CamelContext camel) {
    Router boot = router(camel, settings.bootServerAddress());
    Router management = router(camel, settings.healthProbeAddress());
    ManagementEndpoints.register(management, camel, metrics);
    serveImages(boot);
    listenOnEveryEventLoop(boot, settings.bootServerAddress());
    listenOnEveryEventLoop(boot, settings.imageProxyServerAddress());
    if (!settings.metricsAddress().equals(settings.healthProbeAddress())) {
      listen(management, settings.metricsAddress());
    }
    logWelcome();
  }

  private ImageProxy imageProxy(boolean embedded) {
    try {
      return new ImageProxy(vertx, ImageProxySettings.of(settings, embedded),
          new ImageProxy.Registry(registryClient, manifestResolver, settings.registrySettings()), metrics);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the blob cache directory", e);
    }
  }

  /** The blob endpoints on the boot router, so both the boot and the image port answer them. */
  private void serveImages(Router boot) {
    imageProxy.start().toCompletionStage().toCompletableFuture().join();
    imageProxy.register(boot);
    imageProxy.prefetchFor(index);
  }

  private static Router router(CamelContext camel, ListenAddress address) {
    return VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(address.port()));
  }

  private void listen(Router router, ListenAddress address) {
    HttpServer server = vertx.createHttpServer().requestHandler(router);
    server.listen(address.port(), address.host()).toCompletionStage().toCompletableFuture().join();
    extraServers.add(server);
  }

  /**
   * One more server on the address for each Vert.x event loop. Camel's platform-http server is a
   * single Vert.x server, so one event loop would read, route and answer every connection of the
   * boot port; servers sharing a port take its connections in turn, each on its own event loop.
   */
  private void listenOnEveryEventLoop(Router router, ListenAddress address) {
    Supplier<Verticle> server = () -> new AbstractVerticle() {
      @Override
      public void start(Promise<Void> started) {
        vertx.createHttpServer().requestHandler(router).listen(address.port(), address.host())
            .<Void>mapEmpty().onComplete(started);
      }
    };
    DeploymentOptions oneOnEachEventLoop = new DeploymentOptions().setInstances(EVENT_LOOPS);
    serverDeployments.add(vertx.deployVerticle(server, oneOnEachEventLoop).toCompletionStage().toCompletableFuture().join());
  }

  private void logWelcome() {
    String base = "http://127.0.0.1:" + settings.bootServerAddress().port();
    LOG.info("Boot endpoints on {} and {} (image proxy port); health and metrics on {} and {}; {} transport",
        settings.bootServerAddress(), settings.imageProxyServerAddress(), settings.healthProbeAddress(),
        settings.metricsAddress(), vertx.isNativeTransportEnabled() ? "native epoll" : "NIO (no TCP_CORK for blob files)");
    if (cluster.isEmbedded()) {
      index.awaitSynced(Duration.ofSeconds(10));
      index.anyIpxeUuid().ifPresent(uuid -> LOG.info("Try it: curl {}/ipxe/{}", base, uuid));
    }
  }

  /** Stops Camel, then everything this application started. */
  public void stop() {
    main.stop();
    close();
  }

  /** Hooks into Camel's start and stop: readiness check, the extra ports, clean shutdown. */
  private final class Lifecycle extends MainListenerSupport implements ExtendedStartupListener {
    @Override
    public void afterConfigure(BaseMainSupport support) {
      CamelContext camel = support.getCamelContext();
      HealthCheckRegistry.get(camel).register(new InformersSyncedCheck(index));
      HealthCheckRegistry.get(camel).register(new ControllersAliveCheck(controllers));
      try {
        camel.addStartupListener(this);
      } catch (Exception e) {
        throw RuntimeCamelException.wrapRuntimeException(e);
      }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
      // the platform-http routers exist only once the routes have started: see below
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
      startExtraServers(context);
    }

    @Override
    public void afterStop(BaseMainSupport support) {
      close();
    }
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    extraServers.forEach(HttpServer::close);
    serverDeployments.forEach(vertx::undeploy);
    imageProxy.close();
    deliveries.close();
    controllers.close();
    butane.close();
    index.close();
    cluster.close();
    vertx.close();
  }
}
