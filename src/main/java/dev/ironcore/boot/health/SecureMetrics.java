package dev.ironcore.boot.health;

import dev.ironcore.boot.config.ListenAddress;
import dev.ironcore.boot.config.MetricsServing;
import dev.ironcore.boot.config.TlsSettings;
import dev.ironcore.boot.connections.ServerDefense;
import dev.ironcore.boot.tls.TlsCredentials;
import dev.ironcore.boot.tls.TlsServers;
import io.fabric8.kubernetes.client.Config;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} as the Go manager serves it with {@code --metrics-secure}: HTTPS with the
 * certificate in {@code --metrics-cert-path} (re-read when it changes, as controller-runtime's
 * certwatcher does) or a self-signed one, every scrape authenticated and authorised
 * ({@link MetricsAccess}), HTTP/1.1 only unless {@code --enable-http2}.
 */
public final class SecureMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecureMetrics.class);

  private final Vertx vertx;
  private final ListenAddress address;
  private final MetricsServing serving;
  private final TlsServers tls;
  private final MetricsAccess access;
  private final ServerDefense defense;
  private HttpServer server;

  /**
   * Reads (or makes) the certificate at once: a pair that cannot be served stops the start. The files
   * are checked for a new pair every {@code reloadPeriod} ({@code boot.tls-reload-period}); {@code defense}
   * bounds the server's connections as every port's.
   */
  public SecureMetrics(Vertx vertx, ListenAddress address, MetricsServing serving, Duration reloadPeriod,
      Config cluster, PrometheusMeterRegistry metrics, ServerDefense defense) {
    this.vertx = vertx;
    this.address = address;
    this.serving = serving;
    TlsSettings files = certificateFiles(serving, address, reloadPeriod);
    this.tls = new TlsServers(vertx, files, TlsCredentials.read(files), metrics, "metrics");
    this.access = new MetricsAccess(cluster, metrics, Clock.systemUTC());
    this.defense = defense;
  }

  /** Listens; the scrape itself is the same text the plain endpoint serves. */
  public void start(PrometheusMeterRegistry metrics) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(access).handler(ManagementEndpoints.scrape(metrics));
    HttpServerOptions options = defense.options(tls.serverOptions());
    if (serving.http2()) {
      options.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    }
    server = defense.guard(vertx.createHttpServer(options)).requestHandler(router);
    server.listen(address.port(), address.host()).toCompletionStage().toCompletableFuture().join();
    if (serving.certDirectory().isPresent()) {
      tls.start();
    }
    LOG.info("Metrics on https://{}/metrics: bearer token, TokenReview and SubjectAccessReview; HTTP/2 {}",
        address, serving.http2() ? "on" : "off");
  }

  private static TlsSettings certificateFiles(MetricsServing serving, ListenAddress address, Duration reloadPeriod) {
    Optional<Path> directory = serving.certDirectory();
    if (directory.isPresent()) {
      return new TlsSettings(Optional.of(directory.get().resolve(serving.certName())),
          Optional.of(directory.get().resolve(serving.keyName())), address, true, reloadPeriod);
    }
    // as controller-runtime without --metrics-cert-path: a self-signed certificate made at start
    SelfSignedCertificate selfSigned = SelfSignedCertificate.create("boot-operator-metrics");
    LOG.info("Metrics: no --metrics-cert-path, serving a self-signed certificate");
    return new TlsSettings(Optional.of(Path.of(selfSigned.certificatePath())),
        Optional.of(Path.of(selfSigned.privateKeyPath())), address, true, reloadPeriod);
  }

  @Override
  public void close() {
    tls.close();
    access.close();
    if (server != null) {
      server.close();
    }
  }
}
