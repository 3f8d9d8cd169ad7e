package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.Blob;
import dev.ironcore.boot.blobcache.FileSender;
import dev.ironcore.boot.net.TrustedProxies;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET}/{@code HEAD} {@code /image?…} and {@code /httpboot/<image>/sha256-<hex>.efi} (COMPAT §5)
 * as a plain non-blocking Vert.x handler: no Camel exchange and no worker thread per download. Bytes
 * come from the blob cache (verified, single flight) and are sent with backpressure; a blob that
 * fails or a client that goes away ends in a reset, never in a complete-looking response. A {@code HEAD}
 * of a layer no boot config references is answered from what is known ({@link LayerSizes}) and never
 * starts a download; one of a referenced layer opens it like a GET, so its cache fill starts early.
 */
public final class BlobProxy implements Handler<RoutingContext> {
  private final BlobTargets targets;
  private final Function<BlobTarget, Future<Blob>> open;
  private final LayerSizes sizes;
  private final ImageProxyMetrics metrics;
  private final TrustedProxies trustedProxies;
  private final ClientAnswers clientAnswers;
  private final long unsentBytes;

  /**
   * {@code open}: the blob from the cache, or its download (see {@link ImageProxy}); {@code unsentBytes}: what
   * a socket fed by sendfile may hold unsent ({@link SendfileSocket}).
   */
  BlobProxy(BlobTargets targets, Function<BlobTarget, Future<Blob>> open, LayerSizes sizes, ImageProxyMetrics metrics,
      TrustedProxies trustedProxies, ClientAnswers clientAnswers, long unsentBytes) {
    this.targets = targets;
    this.open = open;
    this.sizes = sizes;
    this.metrics = metrics;
    this.trustedProxies = trustedProxies;
    this.clientAnswers = clientAnswers;
    this.unsentBytes = unsentBytes;
  }

  /** {@code /httpboot} itself stays the Camel JSON route: only deeper paths are blobs. */
  public void register(Router router) {
    router.route("/image").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this);
    router.routeWithRegex("/httpboot/.+").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this);
  }

  @Override
  public void handle(RoutingContext context) {
    BlobExchange exchange = new BlobExchange(context.request(), metrics, trustedProxies.clientOf(
        context.request().remoteAddress(), context.request().headers().getAll("X-Forwarded-For")));
    Optional<Runnable> answer = clientAnswers.begin(exchange.client());
    if (answer.isEmpty()) {
      metrics.refused("client-limit");
      String reason = "Too Many Requests: this client has " + clientAnswers.maxPerClient()
          + " blob downloads under way (boot.max-downloads-per-client); wait for one to end";
      refuse(exchange, new BlobErrors(429, reason, reason));
      return;
    }
    // Counted until the handler is done (an answer cut by a reset calls no end handler) or the connection closes
    exchange.whenFinished(answer.get());
    context.addEndHandler(ended -> answer.get().run());
    Future.succeededFuture(exchange)
        .map(ignored -> exchange.asked(parse(exchange)))
        .compose(request -> targets.forClient(request, exchange.httpBoot(), exchange.client()))
        .map(exchange::target)
        .onSuccess(target -> {
          if (exchange.head() && !target.referenced()) {
            sizes.of(target, exchange.httpBoot())
                .onSuccess(known -> answerHead(exchange, known))
                .onFailure(failure -> refuse(exchange, failure));
          } else {
            open.apply(target)
                .onSuccess(blob -> sendOrRelease(exchange, blob))
                .onFailure(failure -> refuse(exchange, failure));
          }
        })
        .onFailure(failure -> refuse(exchange, failure));
  }

  private static void answerHead(BlobExchange exchange, LayerSizes.KnownSize known) {
    exchange.source(known.source());
    ByteRange range = writeHead(exchange, known.size());
    exchange.response().end().onComplete(ended -> exchange.finished(range.status(), "ok"));
  }

  /** A blob that could not be sent is released at once: a pinned blob could never be evicted. */
  private void sendOrRelease(BlobExchange exchange, Blob blob) {
    try {
      send(exchange, blob);
    } catch (RuntimeException failure) {
      blob.discard();
      refuse(exchange, failure);
    }
  }

  private static BlobRequest parse(BlobExchange exchange) {
    return exchange.httpBoot() ? BlobRequest.fromHttpBootPath(exchange.request().path())
        : BlobRequest.fromImageQuery(exchange.request().query());
  }

  private void send(BlobExchange exchange, Blob blob) {
    exchange.source(blob.fromCache());
    ByteRange range = writeHead(exchange, blob.size());
    if (range.status() == 416 || exchange.head()) {
      blob.discard();
      exchange.response().end().onComplete(ended -> exchange.finished(range.status(), "ok"));
      return;
    }
    stream(exchange, blob, range);
  }

  /** Status and headers for a blob of {@code size} bytes and the request's {@code Range}. */
  private static ByteRange writeHead(BlobExchange exchange, long size) {
    HttpServerResponse response = exchange.response();
    ByteRange range = ByteRange.select(exchange.request().getHeader(HttpHeaderNames.RANGE), size);
    response.setStatusCode(range.status())
        .putHeader(HttpHeaderNames.ACCEPT_RANGES, "bytes")
        .putHeader(HttpHeaderNames.CONTENT_TYPE, exchange.target().contentType())
        .putHeader(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(range.length()));
    if (range.contentRange() != null) {
      response.putHeader(HttpHeaderNames.CONTENT_RANGE, range.contentRange());
    }
    return range;
  }

  /**
   * Bytes in the cache's file go by sendfile where the connection takes it (its socket corked and its unsent
   * bytes bounded meanwhile: see {@link SendfileSocket}); the rest through the JVM.
   */
  private void stream(BlobExchange exchange, Blob blob, ByteRange range) {
    HttpServerResponse response = exchange.response();
    Optional<FileSender> kernel = ResponseFileSender.of(exchange);
    Runnable restoreSocket = kernel.isPresent()
        ? SendfileSocket.prepare(exchange.request().connection(), unsentBytes) : () -> { };
    blob.send(response, kernel, range.offset(), range.length()).onComplete(sent -> {
      restoreSocket.run();
      if (sent.succeeded()) {
        exchange.finished(range.status(), "ok");
      } else {
        // A failed or unverified blob, or a client gone: never let it look complete.
        response.reset();
        exchange.aborted(range.status(), sent.cause());
      }
    });
  }

  private static void refuse(BlobExchange exchange, Throwable failure) {
    if (failure instanceof RetryLaterException busy && !exchange.response().headWritten()) {
      exchange.response().putHeader(HttpHeaderNames.RETRY_AFTER, String.valueOf(busy.retryAfter().toSeconds()));
    }
    refuse(exchange, BlobErrors.of(failure, exchange.imageName()));
  }

  private static void refuse(BlobExchange exchange, BlobErrors error) {
    HttpServerResponse response = exchange.response();
    if (response.headWritten()) {
      response.reset();
    } else {
      response.setStatusCode(error.status()).putHeader(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end(error.reason());
    }
    exchange.finished(error.status(), error.detail());
  }
}
