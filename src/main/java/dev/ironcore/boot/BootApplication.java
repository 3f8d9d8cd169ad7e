package dev.ironcore.boot;

import dev.ironcore.boot.binding.ClientBinding;
import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.config.ListenAddress;
import dev.ironcore.boot.config.SettingsSource;
import dev.ironcore.boot.connections.ServerDefense;
import dev.ironcore.boot.connections.ServerDefenses;
import dev.ironcore.boot.connections.ShutdownDrain;
import dev.ironcore.boot.delivery.DeliveryConditions;
import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.health.ControllersAliveCheck;
import dev.ironcore.boot.health.InformersSyncedCheck;
import dev.ironcore.boot.health.ManagementEndpoints;
import dev.ironcore.boot.health.SecureMetrics;
import dev.ironcore.boot.health.ServingCheck;
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
import dev.ironcore.boot.tls.TlsCredentials;
import dev.ironcore.boot.tls.TlsServers;
import dev.ironcore.boot.web.BootRequestObserver;
import dev.ironcore.boot.web.BootResponses;
import dev.ironcore.boot.web.CacheControlHeaderFilter;
import dev.ironcore.boot.web.EventLoopHttpEngine;
import dev.ironcore.boot.web.HttpErrors;
import dev.ironcore.boot.web.RouterErrors;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Route;
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
  /** The route group of the controllers (routes/controllers.camel.yaml). */
  private static final String RECONCILE_ROUTES = "reconcile";

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
  private final Optional<TlsServers> tls;
  private final Optional<SecureMetrics> secureMetrics;
  private final ButaneTranslations butane;
  private final ServerDefenses defenses;
  private final ShutdownDrain drain;
  private final Main main;
  private final List<HttpServer> extraServers = new ArrayList<>();
  private final List<String> serverDeployments = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set once our servers took every port over from Camel's (readiness waits for it). */
  private final AtomicBoolean serversStarted = new AtomicBoolean();

  private BootApplication(BootSettings settings, ClusterConnection cluster) {
    // first: a pair that cannot be served stops the start before any thread is started
    Optional<TlsCredentials> tlsCredentials = settings.tls().enabled()
        ? Optional.of(TlsCredentials.read(settings.tls())) : Optional.empty();
    this.settings = settings;
    this.cluster = cluster;
    // Native epoll where it loads (Linux x86_64 and aarch64): blob files go corked, unsent bytes bounded
    // (SendfileSocket).
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.workerThreads().eventLoops())
        .setWorkerPoolSize(64)
        .setPreferNativeTransport(true));
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = cluster.client();
    this.index = new BootConfigIndex(client, RESYNC, settings.secretWatch(), metrics);
    this.deliveries = new DeliveryConditions(client, metrics, Clock.systemUTC());
    this.registryClient = new RegistryClient(settings.registrySettings());
    this.manifestResolver = new ManifestResolver(registryClient, settings.registrySettings(), Clock.systemUTC());
    FunctionCounter.builder("registry_stale_tag_answers", manifestResolver, ManifestResolver::staleAnswers)
        .description("Tag resolutions answered with the registry's last answer because it could not give one")
        .register(metrics);
    this.controllers = new Controllers(index, settings.reconcileTiming(), metrics);
    this.controllerBeans = new ControllerBeans(settings, client, index, controllers, manifestResolver, metrics);
    this.imageProxy = imageProxy(cluster.isEmbedded());
    this.drain = new ShutdownDrain();
    this.defenses = new ServerDefenses(settings.httpDefense(), settings.clientBinding().trustedProxies(), metrics,
        drain);
    this.tls = tlsCredentials.map(credentials -> new TlsServers(vertx, settings.tls(), credentials, metrics, "boot"));
    // metrics-bind-address "0" (= the probe address) serves no metrics at all when they are secure
    this.secureMetrics = settings.metricsServing().secure(cluster.isEmbedded())
        && !settings.metricsAddress().equals(settings.healthProbeAddress())
        ? Optional.of(new SecureMetrics(vertx, settings.metricsAddress(), settings.metricsServing(),
            settings.tls().reloadPeriod(), client.getConfiguration(), metrics, defenses.forPort("metrics")))
        : Optional.empty();
    this.butane = new ButaneTranslations(settings.butane(), metrics);
    this.main = new Main();
    // Camel's SIGTERM hook lets the JVM exit once its wait is over: it must outlast the drain
    main.configure().setExtraShutdownTimeout((int) settings.shutdown().timeout().toSeconds()
        + main.configure().getExtraShutdownTimeout());
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
      settings = settings.withIpxeServiceUrl(localBaseUrl(settings));
    }
    settings.requireIpxeServiceUrlForPxe();
    settings.tls().requireOwnPort(settings.bootServerAddress(), settings.imageProxyServerAddress());
    settings.tls().requireApartFrom("boot.metrics-bind-address", settings.metricsAddress());
    settings.tls().requireApartFrom("boot.health-probe-bind-address", settings.healthProbeAddress());
    try {
      return new BootApplication(settings, cluster);
    } catch (RuntimeException refused) {
      cluster.close();
      throw refused;
    }
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
    main.bind(EventLoopHttpEngine.NAME, new EventLoopHttpEngine(camelServerPort()));
    main.bind("bootSettings", settings);
    main.bind("bootConfigIndex", index);
    ClientBinding clientBinding = new ClientBinding(settings.clientBinding(), index, metrics);
    main.bind("ipxeScripts", new IpxeScripts(settings, index, new IpxeScriptRenderer(), clientBinding));
    main.bind("registryClient", registryClient);
    main.bind("manifestResolver", manifestResolver);
    main.bind("httpBootAnswers", new HttpBootAnswers(index, new DefaultUki(settings, manifestResolver),
        settings.clientBinding(), metrics));
    main.bind("ignitionConfigs", new IgnitionConfigs(index, butane, clientBinding));
    main.bind("bootResponses", new BootResponses());
    main.bind(CacheControlHeaderFilter.NAME, new CacheControlHeaderFilter());
    main.bind("httpErrors", new HttpErrors());
    main.bind("bootRequestObserver", new BootRequestObserver(metrics, deliveries,
        settings.clientBinding().trustedProxies()));
    controllerBeans.bind(main::bind, butane);
    Properties overrides = camelServerProperties();
    overrides.putAll(controllerBeans.routeProperties());
    main.setOverrideProperties(overrides);
    main.addMainListener(new Lifecycle());
  }

  private Properties camelServerProperties() {
    Properties camel = new Properties();
    camel.setProperty("camel.server.host", settings.tls().plainHttp() ? settings.bootServerAddress().host() : "127.0.0.1");
    camel.setProperty("camel.server.port", String.valueOf(camelServerPort()));
    camel.setProperty("camel.management.host", settings.healthProbeAddress().host());
    camel.setProperty("camel.management.port", String.valueOf(settings.healthProbeAddress().port()));
    if (secureMetrics.isPresent()) {
      // Camel's /observe/metrics on the probe port would hand out what /metrics guards
      camel.setProperty("camel.management.metricsEnabled", "false");
    }
    return camel;
  }

  /**
   * The port of Camel's own server, whose router carries the boot routes. Camel (4.18 as 4.17) registers
   * platform-http routes only on a router its server made, so with {@code boot.plain-http=false} that
   * server is bound to an ephemeral loopback port while the routes start, then closed.
   */
  private int camelServerPort() {
    return settings.tls().plainHttp() ? settings.bootServerAddress().port() : 0;
  }

  private void startExtraServers(CamelContext camel) {
    VertxPlatformHttpRouter boot = router(camel, camelServerPort());
    RouterErrors.register(boot);
    VertxPlatformHttpRouter management = router(camel, settings.healthProbeAddress().port());
    WorkerExecutor probeChecks = vertx.createSharedWorkerExecutor("health-probes",
        settings.workerThreads().healthProbeThreads());
    ManagementEndpoints.register(management, camel, probeChecks, metrics,
        !settings.metricsServing().secure(cluster.isEmbedded()));
    serveImages(boot);
    if (settings.tls().plainHttp()) {
      listenOnEveryEventLoop(boot, settings.bootServerAddress(), new HttpServerOptions(),
          defenses.forServingPort("boot"));
      listenOnEveryEventLoop(boot, settings.imageProxyServerAddress(), new HttpServerOptions(),
          defenses.forServingPort("image"));
    }
    takeOverManagementPort(management);
    // From here our servers take every connection of the boot port: Camel's own would answer what its
    // router refuses (a malformed path) without RouterErrors' reason. Without plain HTTP it only ever
    // listened on an ephemeral loopback port, for the routes to start.
    boot.getServer().getServer().close().toCompletionStage().toCompletableFuture().join();
    tls.ifPresent(servers -> {
      listenOnEveryEventLoop(boot, settings.tls().address(), servers.serverOptions(),
          defenses.forServingPort("https"));
      servers.start();
    });
    if (!settings.metricsAddress().equals(settings.healthProbeAddress())) {
      secureMetrics.ifPresentOrElse(server -> server.start(metrics),
          () -> listen(management, settings.metricsAddress(), defenses.forPort("metrics")));
    }
    serversStarted.set(true);
    logWelcome();
  }

  private ImageProxy imageProxy(boolean embedded) {
    try {
      return new ImageProxy(vertx, ImageProxySettings.of(settings, embedded),
          new ImageProxy.Registry(registryClient, manifestResolver, settings.registrySettings()), metrics,
          settings.clientBinding().trustedProxies());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the blob cache directory", e);
    }
  }

  /** The blob endpoints on the boot router, so both the boot and the image port answer them. */
  private void serveImages(Router boot) {
    imageProxy.start().toCompletionStage().toCompletableFuture().join();
    imageProxy.register(boot);
    imageProxy.follow(index);
  }

  private static VertxPlatformHttpRouter router(CamelContext camel, int port) {
    return VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(port));
  }

  /**
   * Camel's management server has no setting for timeouts or connection caps: a defended server of
   * ours takes its port over (Vert.x shares a port between servers), and Camel's is closed.
   */
  private void takeOverManagementPort(VertxPlatformHttpRouter management) {
    if (settings.healthProbeAddress().port() == camelServerPort()) {
      return;
    }
    listen(management, settings.healthProbeAddress(), defenses.forPort("management"));
    management.getServer().getServer().close().toCompletionStage().toCompletableFuture().join();
  }

  private void listen(Router router, ListenAddress address, ServerDefense defense) {
    HttpServer server = defense.guard(vertx.createHttpServer(defense.options(new HttpServerOptions())))
        .requestHandler(router);
    server.listen(address.port(), address.host()).toCompletionStage().toCompletableFuture().join();
    extraServers.add(server);
  }

  /**
   * One more server on the address for each Vert.x event loop. Camel's platform-http server is a
   * single Vert.x server, so one event loop would read, route and answer every connection of the
   * boot port; servers sharing a port take its connections in turn, each on its own event loop.
   */
  private void listenOnEveryEventLoop(Router router, ListenAddress address, HttpServerOptions options,
      ServerDefense defense) {
    HttpServerOptions defended = defense.options(options);
    Supplier<Verticle> server = () -> new AbstractVerticle() {
      @Override
      public void start(Promise<Void> started) {
        defense.guard(vertx.createHttpServer(defended)).requestHandler(router).listen(address.port(), address.host())
            .<Void>mapEmpty().onComplete(started);
      }
    };
    DeploymentOptions oneOnEachEventLoop = new DeploymentOptions().setInstances(settings.workerThreads().eventLoops());
    serverDeployments.add(vertx.deployVerticle(server, oneOnEachEventLoop).toCompletionStage().toCompletableFuture().join());
  }

  private void logWelcome() {
    String base = localBaseUrl(settings);
    String plain = settings.bootServerAddress() + " and " + settings.imageProxyServerAddress() + " (image proxy port)";
    String https = "HTTPS " + settings.tls().address();
    String where = !settings.tls().enabled() ? plain : settings.tls().plainHttp() ? plain + ", " + https : https + " only";
    LOG.info("Boot endpoints on {}; health and metrics on {} and {}; {} transport", where,
        settings.healthProbeAddress(), settings.metricsAddress(),
        vertx.isNativeTransportEnabled() ? "native epoll" : "NIO (no TCP_CORK for blob files)");
    if (cluster.isEmbedded()) {
      index.awaitSynced(Duration.ofSeconds(10));
      index.anyIpxeUuid().ifPresent(uuid -> LOG.info("Try it: curl {}/ipxe/{}", base, uuid));
    }
  }

  /** This machine's URL of the boot endpoints: plain HTTP where it is served, else HTTPS. */
  private static String localBaseUrl(BootSettings settings) {
    return settings.tls().plainHttp() ? "http://127.0.0.1:" + settings.bootServerAddress().port()
        : "https://127.0.0.1:" + settings.tls().address().port();
  }

  /**
   * The graceful part of a stop (SIGTERM), before anything is stopped: readiness fails; the serving
   * ports keep accepting for {@code boot.shutdown-delay} (not in embedded mode) while the Service's
   * endpoints drop the pod, every connection closed once its answer is sent; then new connections are
   * refused and the answers under way are waited for, until {@code boot.shutdown-timeout} after the signal.
   */
  public void drain() {
    // embedded mode (bin/run) is in no Service's endpoints: nothing to wait for but the answers under way
    Duration delay = cluster.isEmbedded() ? Duration.ZERO : settings.shutdown().delay();
    Duration timeout = settings.shutdown().timeout();
    long started = System.nanoTime();
    LOG.info("Shutting down: readiness fails; new connections are served for {} ms more, then answers under way"
        + " are finished ({} connections open; at most {} ms in all)", delay.toMillis(), drain.openConnections(),
        timeout.toMillis());
    drain.begin();
    stepDown();
    try {
      Thread.sleep(delay.toMillis());
      drain.refuseNewConnections();
      if (drain.awaitDrained(timeout.minus(Duration.ofNanos(System.nanoTime() - started)))) {
        LOG.info("Shutting down: every answer under way was sent, after {} ms",
            Duration.ofNanos(System.nanoTime() - started).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * With leader election the controllers stop first (a reconcile under way finishes) and the Lease is
   * handed over at once, so the next leader does not wait for this replica's drain.
   */
  private void stepDown() {
    if (!settings.leaderElect()) {
      return;
    }
    CamelContext camel = main.getCamelContext();
    for (Route route : camel.getRoutes()) {
      if (RECONCILE_ROUTES.equals(route.getGroup())) {
        try {
          camel.getRouteController().stopRoute(route.getId());
        } catch (Exception e) { // the Lease is then handed over when Camel has stopped
          LOG.warn("Shutting down: could not stop {} before handing the Lease over: {}", route.getId(), e.toString());
          return;
        }
      }
    }
    controllerBeans.close();
  }

  /** Stops Camel, then everything this application started (tests: at once, without {@link #drain()}). */
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
      HealthCheckRegistry.get(camel).register(new ServingCheck(serversStarted::get, drain));
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

    /** On SIGTERM (Camel's hook ends the main thread's wait), before Camel stops anything. */
    @Override
    public void beforeStop(BaseMainSupport support) {
      drain();
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
    tls.ifPresent(TlsServers::close);
    secureMetrics.ifPresent(SecureMetrics::close);
    serverDeployments.forEach(vertx::undeploy);
    imageProxy.close();
    deliveries.close();
    controllerBeans.close();
    controllers.close();
    butane.close();
    index.close();
    cluster.close();
    vertx.close();
  }
}
