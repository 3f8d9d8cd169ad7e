package dev.ironcore.boot.connections;

import dev.ironcore.boot.binding.RecentPairs;
import dev.ironcore.boot.config.HttpDefenseSettings;
import dev.ironcore.boot.net.IpAddress;
import dev.ironcore.boot.net.TrustedProxies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one port (all its Vert.x servers) takes from a client: HTTP/1.x only (505 to an HTTP/2
 * preface; no {@code Upgrade: h2c}), request lines and headers within their caps (414, 431), a request head within the header
 * timeout, no connection idle past the idle timeout, and at most so many connections on the port
 * and per client address (the TCP peer; trusted proxies are not capped per client). A refused
 * connection is closed at once, counted, and logged once per client and reason.
 *
 * <p>Vert.x has no header timeout, and its idle timeout would cut a long sendfile (see
 * {@link IdleTimeout}): both are Netty handlers put into each connection's pipeline, reached through
 * {@link ConnectionBase}, Vert.x's internal base of every connection.
 */
public final class ServerDefense {
  private static final Logger LOG = LoggerFactory.getLogger(ServerDefense.class);
  /** Vert.x's name of the HTTP/1.x request decoder in a connection's pipeline. */
  private static final String HTTP_DECODER = "httpDecoder";
  /** Vert.x's name of its own handler, last in a connection's pipeline. */
  private static final String VERTX_HANDLER = "handler";

  private final String server;
  private final HttpDefenseSettings settings;
  private final TrustedProxies trustedProxies;
  private final RecentPairs logged;
  private final ConnectionCounts counts;
  private final MeterRegistry meters;
  /** Null for a port that does not drain (probes, metrics): it serves until the service stops. */
  private final ShutdownDrain drain;

  /**
   * {@code server} names the port in metrics and logs ({@code boot}, {@code image}, {@code https},
   * {@code management}, {@code metrics}); {@code logged} is shared by every port; {@code drain}: the
   * shutdown drain the port's connections take part in, or null.
   */
  public ServerDefense(String server, HttpDefenseSettings settings, TrustedProxies trustedProxies,
      MeterRegistry meters, RecentPairs logged, ShutdownDrain drain) {
    this.server = server;
    this.drain = drain;
    this.settings = settings;
    this.trustedProxies = trustedProxies;
    this.logged = logged;
    this.meters = meters;
    this.counts = new ConnectionCounts(settings.maxConnectionsPerPort(), settings.maxConnectionsPerClient());
    Gauge.builder("boot_http_connections_open", counts, ConnectionCounts::open).tag("server", server)
        .description("HTTP connections open on the port").register(meters);
  }

  /** {@code options} with the caps on the request head and without cleartext HTTP/2. */
  public HttpServerOptions options(HttpServerOptions options) {
    return options.setHttp2ClearTextEnabled(false)
        .setMaxInitialLineLength(settings.maxRequestLineBytes())
        .setMaxHeaderSize(settings.maxHeaderBytes());
  }

  /** {@code server} (made with {@link #options}) with every new connection counted, capped and timed. */
  public HttpServer guard(HttpServer httpServer) {
    return httpServer.connectionHandler(this::accept);
  }

  private void accept(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    Channel channel = base.channel();
    String client = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
    IpAddress address = IpAddress.parse(client);
    boolean capped = address == null || !trustedProxies.trusts(address);
    if (drain != null && drain.refusesNewConnections()) {
      channel.close();
      refused("boot_http_connections_refused", "shutting-down", client,
          "connection refused: this replica is shutting down; connect again to reach a running one");
      return;
    }
    Optional<String> refusal = counts.open(client, capped);
    if (refusal.isPresent()) {
      channel.close();
      refused("boot_http_connections_refused", refusal.get(), client, ConnectionCounts.CLIENT_LIMIT.equals(refusal.get())
          ? "connection refused: the client has " + settings.maxConnectionsPerClient()
              + " connections open (boot.max-connections-per-client); close idle ones"
          : "connection refused: the port has " + settings.maxConnectionsPerPort()
              + " connections open (boot.max-connections-per-port)");
      return;
    }
    channel.closeFuture().addListener(closed -> counts.closed(client, capped));
    // A reset, a client gone mid-sendfile or our own idle close: how connections end, not an error of ours
    // (Vert.x logs an unhandled one at ERROR with its trace)
    connection.exceptionHandler(failure -> LOG.debug("{} port, client {}: connection ended: {}", server, client,
        failure.toString()));
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addFirst(IdleTimeout.NAME, new IdleTimeout(settings.idleTimeout(), () -> closed("idle")));
    if (pipeline.get(HTTP_DECODER) != null) {
      RequestHeadDeadline head = new RequestHeadDeadline(settings.headerTimeout(),
          () -> timedOut(client), (context, request) -> refusedHead(context, request, client));
      pipeline.addBefore(HTTP_DECODER, RequestHeadDeadline.RAW, head.rawBytes);
      pipeline.addAfter(HTTP_DECODER, RequestHeadDeadline.DECODED, head.decoded);
    }
    if (drain != null) { // serving ports speak HTTP/1.1 only (HTTP/2 is for the secure metrics server)
      DrainingConnection draining = new DrainingConnection();
      pipeline.addBefore(VERTX_HANDLER, DrainingConnection.NAME, draining);
      drain.track(channel, draining);
    }
  }

  private void timedOut(String client) {
    closed("header-timeout");
    logOnce("header-timeout", client, "connection closed: no complete request head within "
        + settings.headerTimeout().toMillis() + " ms");
  }

  /**
   * Answers and closes a head past a cap, or of another HTTP version than 1.x (an HTTP/2 prior-knowledge
   * preface reads as {@code PRI * HTTP/2.0}); true when it did. Other malformed heads are Vert.x's (400).
   */
  private boolean refusedHead(ChannelHandlerContext context, HttpRequest request, String client) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      refuse(context, client, "request-line-too-long", "414 URI Too Long", "the request line is longer than "
          + settings.maxRequestLineBytes() + " bytes (boot.http-max-request-line); shorten the URL");
    } else if (cause instanceof TooLongHttpHeaderException) {
      refuse(context, client, "headers-too-large", "431 Request Header Fields Too Large", "the headers are larger than "
          + settings.maxHeaderBytes() + " bytes (boot.http-max-header-size); send fewer or smaller headers");
    } else if (cause == null && request.protocolVersion().majorVersion() != 1) {
      refuse(context, client, "not-http-1", "505 HTTP Version Not Supported",
          "this port speaks HTTP/1.1 (HTTP/2 only over TLS where it is on); send HTTP/1.1");
    } else {
      return false;
    }
    return true;
  }

  /** A one-line answer written below Vert.x (it never saw the head), then the connection closed. */
  private void refuse(ChannelHandlerContext context, String client, String reason, String status, String why) {
    refused("boot_http_requests_refused", reason, client, "request refused: " + why);
    byte[] body = (status.substring(4) + ": " + why + "\n").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n";
    context.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void closed(String reason) {
    Counter.builder("boot_http_connections_closed").tag("server", server).tag("reason", reason)
        .description("HTTP connections the server closed: idle, or no request head in time").register(meters)
        .increment();
  }

  private void refused(String meter, String reason, String client, String message) {
    Counter.builder(meter).tag("server", server).tag("reason", reason)
        .description("HTTP connections or requests refused by the server's caps").register(meters).increment();
    logOnce(reason, client, message);
  }

  private void logOnce(String reason, String client, String message) {
    if (logged.firstTime(server + " " + reason + " " + client)) {
      LOG.warn("{} port, client {}: {} (logged once per client)", server, client, message);
    }
  }
}
