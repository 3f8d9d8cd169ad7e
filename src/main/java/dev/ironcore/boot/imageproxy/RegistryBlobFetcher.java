package dev.ironcore.boot.imageproxy;

import static dev.ironcore.boot.oci.RegistryException.Kind.AUTH_FAILED;
import static dev.ironcore.boot.oci.RegistryException.Kind.BAD_RESPONSE;
import static dev.ironcore.boot.oci.RegistryException.Kind.NOT_FOUND;
import static dev.ironcore.boot.oci.RegistryException.Kind.TIMEOUT;
import static dev.ironcore.boot.oci.RegistryException.Kind.UNREACHABLE;

import dev.ironcore.boot.blobcache.BlobDigest;
import dev.ironcore.boot.blobcache.UpstreamBlob;
import dev.ironcore.boot.oci.BlobLocation;
import dev.ironcore.boot.oci.ImageReference;
import dev.ironcore.boot.oci.RedirectPolicy;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.oci.RegistryException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Fetches a blob's bytes from its registry with the Vert.x client (layer bytes never go through
 * Camel): locates it (allowlist, token), GETs it, follows redirects by {@link RedirectPolicy},
 * asks for fresh credentials once after a 401, and fails with a {@link RegistryException} of the
 * matching kind. The body is handed over unread; the idle timeout resets a transfer that stalls.
 */
final class RegistryBlobFetcher {
  private final RegistryClient registry;
  private final HttpClient http;
  private final BodyWatch watch;
  private final ImageProxyMetrics metrics;

  RegistryBlobFetcher(RegistryClient registry, HttpClient http, BodyWatch watch) {
    this.registry = registry;
    this.http = http;
    this.watch = watch;
    this.metrics = watch.metrics();
  }

  /** The blob's download, started; the caller (the blob cache) pauses and reads it. */
  Future<UpstreamBlob> fetch(ImageReference image, BlobDigest digest) {
    long started = System.nanoTime();
    return attempt(image, digest, Vertx.currentContext(), true)
        .onSuccess(blob -> metrics.upstreamResponded(Duration.ofNanos(System.nanoTime() - started)))
        .onFailure(failure -> metrics.upstreamError(failure instanceof RegistryException known
            ? known.kind().name() : "unreachable"));
  }

  private Future<UpstreamBlob> attempt(ImageReference image, BlobDigest digest, Context context, boolean mayRetry) {
    return located(image, digest, context)
        .compose(location -> get(location.uri(), location.headers(), RedirectPolicy.MAX_REDIRECTS))
        .compose(exchange -> {
          int status = exchange.response().statusCode();
          if (status == 401 && mayRetry) {
            registry.forgetCredentials(image); // a token revoked or expired early: one fresh try
            return drained(exchange).compose(v -> attempt(image, digest, context, false));
          }
          return status == 200 ? Future.succeededFuture(started(exchange))
              : drained(exchange).compose(v -> Future.failedFuture(refused(status, image, digest)));
        });
  }

  /** Back onto the request's event loop: the JDK client completes auth on its own threads. */
  private Future<BlobLocation> located(ImageReference image, BlobDigest digest, Context context) {
    return OnContext.of(registry.locateBlob(image, digest.toString()), context).recover(failure -> Future.failedFuture(
        failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
  }

  private record Exchange(HttpClientRequest request, HttpClientResponse response, URI uri) {}

  private Future<Exchange> get(URI uri, Map<String, String> headers, int redirectsLeft) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString())
        .setFollowRedirects(false).setIdleTimeout(watch.idleTimeout().toMillis());
    headers.forEach(options::putHeader);
    return http.request(options)
        .compose(request -> request.send().map(response -> new Exchange(request, response, uri)))
        .recover(failure -> Future.failedFuture(transportFailure(uri, failure)))
        .compose(exchange -> follow(exchange, headers, redirectsLeft));
  }

  private Future<Exchange> follow(Exchange exchange, Map<String, String> headers, int redirectsLeft) {
    if (!RedirectPolicy.isRedirect(exchange.response().statusCode())) {
      return Future.succeededFuture(exchange);
    }
    if (redirectsLeft == 0) {
      exchange.request().reset();
      return Future.failedFuture(new RegistryException(BAD_RESPONSE,
          "more than " + RedirectPolicy.MAX_REDIRECTS + " redirects from " + exchange.uri().getHost()));
    }
    try {
      RedirectPolicy.Redirect next = RedirectPolicy.next(exchange.uri(), headers,
          exchange.response().getHeader("Location"));
      return drained(exchange).compose(v -> get(next.uri(), next.headers(), redirectsLeft - 1));
    } catch (RegistryException badRedirect) {
      exchange.request().reset();
      return Future.failedFuture(badRedirect);
    }
  }

  /** Reads an unwanted body away without keeping it, so the connection can be reused. */
  private static Future<Void> drained(Exchange exchange) {
    exchange.response().handler(ignored -> { });
    return exchange.response().end().recover(failure -> Future.succeededFuture());
  }

  private UpstreamBlob started(Exchange exchange) {
    String length = exchange.response().getHeader("Content-Length");
    if (length == null || !length.matches("\\d{1,18}")) {
      exchange.request().reset();
      throw new RegistryException(BAD_RESPONSE, exchange.uri().getHost() + " sent a blob without a Content-Length");
    }
    exchange.response().pause();
    ObservedBody body = new ObservedBody(exchange.response(), () -> exchange.request().reset(), watch);
    return new UpstreamBlob(Long.parseLong(length), body, body::cancel);
  }

  private static RegistryException refused(int status, ImageReference image, BlobDigest digest) {
    String what = "blob " + digest + " of " + image.familiarName();
    return switch (status) {
      case 404 -> new RegistryException(NOT_FOUND, what + " not found");
      case 401, 403 -> new RegistryException(AUTH_FAILED, what + ": registry refused access (" + status + ")");
      default -> new RegistryException(BAD_RESPONSE, what + ": registry answered " + status);
    };
  }

  private static RegistryException transportFailure(URI uri, Throwable failure) {
    if (failure instanceof RegistryException known) {
      return known;
    }
    String where = uri.getScheme() + "://" + uri.getAuthority();
    if (failure instanceof TimeoutException) {
      return new RegistryException(TIMEOUT, where + " did not answer in time", failure);
    }
    String reason = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    return new RegistryException(UNREACHABLE, where + " is unreachable: " + reason, failure);
  }
}
