package dev.ironcore.boot.imageproxy;

import static dev.ironcore.boot.oci.RegistryException.Kind.AUTH_FAILED;
import static dev.ironcore.boot.oci.RegistryException.Kind.BAD_RESPONSE;
import static dev.ironcore.boot.oci.RegistryException.Kind.NOT_FOUND;

import dev.ironcore.boot.blobcache.BlobDigest;
import dev.ironcore.boot.blobcache.UpstreamBlob;
import dev.ironcore.boot.oci.BlobLocation;
import dev.ironcore.boot.oci.ImageReference;
import dev.ironcore.boot.oci.RedirectPolicy;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.oci.RegistryConnection;
import dev.ironcore.boot.oci.RegistryException;
import dev.ironcore.boot.oci.UpstreamAddresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Fetches a blob's bytes from its registry over a {@link RegistryConnection} of its own (layer bytes
 * never go through Camel or Vert.x's client, which copies every read): locates it (allowlist, token),
 * GETs it, follows redirects by {@link RedirectPolicy} to where {@link UpstreamAddresses} allows (each
 * connection to the address it checked), asks for fresh credentials once after a 401,
 * and fails with a {@link RegistryException} of the matching kind. The connecting and the response
 * heads are blocking and run on threads of their own, never a Vert.x worker that boot requests need;
 * the body is handed over unread.
 */
final class RegistryBlobFetcher {
  private final RegistryClient registry;
  private final RegistryConnection.Settings connections;
  private final WorkerExecutor connecting;
  private final BodyWatch watch;

  RegistryBlobFetcher(RegistryClient registry, RegistryConnection.Settings connections, WorkerExecutor connecting,
      BodyWatch watch) {
    this.registry = registry;
    this.connections = connections;
    this.connecting = connecting;
    this.watch = watch;
  }

  /** The blob's download, started; the caller (the blob cache) reads it. */
  Future<UpstreamBlob> fetch(ImageReference image, BlobDigest digest) {
    long started = System.nanoTime();
    return attempt(image, digest, Vertx.currentContext(), true)
        .onSuccess(blob -> watch.metrics().upstreamResponded(Duration.ofNanos(System.nanoTime() - started)))
        .onFailure(failure -> watch.metrics().upstreamError(failure instanceof RegistryException known
            ? known.kind().name() : "unreachable"));
  }

  private Future<UpstreamBlob> attempt(ImageReference image, BlobDigest digest, Context context, boolean mayRetry) {
    return located(image, digest, context)
        .compose(location -> connecting.executeBlocking(() -> get(location.uri(), location.headers()), false))
        .compose(connection -> {
          int status = connection.status();
          if (status == 401 && mayRetry) {
            connection.close();
            registry.forgetCredentials(image); // a token revoked or expired early: one fresh try
            return attempt(image, digest, context, false);
          }
          if (status != 200) {
            connection.close();
            return Future.failedFuture(refused(status, image, digest));
          }
          return Future.succeededFuture(started(connection));
        });
  }

  /** Back onto the request's event loop: the JDK client completes auth on its own threads. */
  private Future<BlobLocation> located(ImageReference image, BlobDigest digest, Context context) {
    return OnContext.of(registry.locateBlob(image, digest.toString()), context).recover(failure -> Future.failedFuture(
        failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
  }

  /**
   * Blocking: the GET of {@code first} (on an allowed registry), and the GETs its redirects lead to,
   * up to a response that is no redirect.
   */
  RegistryConnection get(URI first, Map<String, String> firstHeaders) {
    return RegistryConnection.openFollowingRedirects(first, registry.addresses().ofRegistry(first), firstHeaders,
        registry.addresses(), connections);
  }

  private UpstreamBlob started(RegistryConnection connection) {
    long length = connection.contentLength();
    if (length < 0) {
      connection.close();
      throw new RegistryException(BAD_RESPONSE, connection.uri().getHost() + " sent a blob without a Content-Length");
    }
    return new UpstreamBlob(length, new ObservedBody(connection, watch));
  }

  private static RegistryException refused(int status, ImageReference image, BlobDigest digest) {
    String what = "blob " + digest + " of " + image.familiarName();
    return switch (status) {
      case 404 -> new RegistryException(NOT_FOUND, what + " not found");
      case 401, 403 -> new RegistryException(AUTH_FAILED, what + ": registry refused access (" + status + ")");
      default -> new RegistryException(BAD_RESPONSE, what + ": registry answered " + status);
    };
  }
}
