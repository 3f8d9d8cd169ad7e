package dev.ironcore.boot.tls;

import dev.ironcore.boot.config.TlsSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS servers' certificate: read and checked at start-up (a bad pair stops the service), then
 * re-read every {@code boot.tls-reload-period}. A pair whose bytes changed is checked again and, if
 * good, installed in the servers' {@link RotatingKeyManager}: new connections get it, open ones keep
 * theirs. A bad new pair is logged once and counted, and the current one kept.
 */
public final class TlsServers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsServers.class);

  private final Vertx vertx;
  private final TlsSettings settings;
  private final RotatingKeyManager keyManager;
  private final Counter reloaded;
  private final Counter refused;
  private volatile TlsCredentials current;
  /** The last pair looked at, served or refused: the same bytes are not checked (or logged) again. */
  private volatile PemFiles lastSeen;
  private volatile String lastReadError;
  private volatile long timer = -1;
  private volatile boolean closed;

  /**
   * Serves {@code initial} (see {@link TlsCredentials#read}) until the files hold another good pair;
   * {@code server} ({@code boot}, {@code metrics}) tells the servers' metrics apart.
   */
  public TlsServers(Vertx vertx, TlsSettings settings, TlsCredentials initial, MeterRegistry meters, String server) {
    this.vertx = vertx;
    this.settings = settings;
    this.current = initial;
    this.keyManager = new RotatingKeyManager(initial);
    this.lastSeen = initial.files();
    this.reloaded = reloads(meters, server, "success");
    this.refused = reloads(meters, server, "failure");
    Gauge.builder("boot_tls_certificate_expiry_seconds", this, servers -> servers.current.notAfter().getEpochSecond())
        .tag("server", server).description("When the served TLS certificate expires (Unix time)").register(meters);
    LOG.info("TLS {}: {}", initial.files().names(), initial.describe());
  }

  /**
   * Options for an HTTPS server: whatever pair is current at each handshake; HTTP/1.1 only (no ALPN,
   * and cleartext HTTP/2 switched off explicitly, so no {@code Upgrade: h2c} is ever taken up).
   */
  public HttpServerOptions serverOptions() {
    return new HttpServerOptions().setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(keyManager))
        .setHttp2ClearTextEnabled(false);
  }

  /** Watches the files from now on. */
  public void start() {
    scheduleCheck();
  }

  private void scheduleCheck() {
    if (!closed) {
      timer = vertx.setTimer(settings.reloadPeriod().toMillis(), id -> check());
    }
  }

  private void check() {
    vertx.executeBlocking(this::changedPair, false)
        .onSuccess(changed -> changed.ifPresent(this::swapIn))
        .onFailure(this::refuse)
        .onComplete(done -> scheduleCheck());
  }

  /** The new pair, checked, when the files' bytes changed since the last look; runs on a worker. */
  private Optional<TlsCredentials> changedPair() throws IOException {
    PemFiles files = readSettled();
    lastReadError = null;
    if (files.sameContent(lastSeen)) {
      return Optional.empty();
    }
    lastSeen = files;
    return Optional.of(TlsCredentials.check(files));
  }

  /**
   * Both files, read twice: bytes that differ between the two reads are still being written (by
   * something other than the kubelet's atomic link swap) and wait for the next check instead of being refused.
   */
  private PemFiles readSettled() throws IOException {
    Path certificate = settings.certFile().orElseThrow();
    Path key = settings.keyFile().orElseThrow();
    PemFiles first = PemFiles.read(certificate, key);
    PemFiles second = PemFiles.read(certificate, key);
    if (!first.sameContent(second)) {
      throw new ReplacementUnderWayException();
    }
    return second;
  }

  private void swapIn(TlsCredentials credentials) {
    keyManager.install(credentials);
    current = credentials;
    reloaded.increment();
    LOG.info("TLS {} reloaded: {}", credentials.files().names(), credentials.describe());
  }

  private void refuse(Throwable failure) {
    if (failure instanceof ReplacementUnderWayException) {
      return;
    }
    if (failure instanceof IOException) {
      String error = failure.toString();
      if (error.equals(lastReadError)) {
        return;
      }
      lastReadError = error;
    }
    refused.increment();
    String why = failure instanceof InvalidCredentialsException ? failure.getMessage() : "cannot read the files: " + failure;
    LOG.warn("TLS certificate not reloaded, still serving {}: {}", current.describe(), why);
  }

  private static Counter reloads(MeterRegistry meters, String server, String result) {
    return Counter.builder("boot_tls_reloads").tag("server", server).tag("result", result)
        .description("Changed TLS certificate files taken into service or refused").register(meters);
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(timer);
  }

  /** The files changed while being read; the next check reads them again. */
  private static final class ReplacementUnderWayException extends IOException {
    ReplacementUnderWayException() {
      super("the TLS files changed while being read");
    }
  }
}
