package dev.ironcore.boot.oci;

import static dev.ironcore.boot.oci.RegistryException.Kind.TIMEOUT;
import static dev.ironcore.boot.oci.RegistryException.Kind.UNREACHABLE;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Small GET requests to registries and token endpoints (never layers): bounded bodies, a timeout
 * per request, redirects followed by {@link RedirectPolicy} to where {@link UpstreamAddresses}
 * allows, and transport failures turned into {@link RegistryException}s. The JDK client is used
 * with redirects off because its own following keeps {@code Authorization} across hosts and goes
 * anywhere. It connects by name, looking the host up again: with the JDK's resolver that lookup is
 * answered from the JDK's address cache (30 s) that the check just filled; the blob path, which
 * moves the bytes, connects to the checked address itself.
 */
final class RegistryHttp {
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024; // distribution's own manifest limit
  private static final String USER_AGENT = "ironcore-boot-operator";

  /** A fully read response and the URI that answered it (after redirects). */
  record Response(int status, HttpHeaders headers, byte[] body, URI uri) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /** Token realms checked at once (each a name lookup, which blocks): more wait in the queue. */
  private static final int RESOLVING_AT_ONCE = 4;
  private static final int RESOLVING_QUEUE = 1024;

  private final HttpClient client;
  private final Duration requestTimeout;
  private final UpstreamAddresses addresses;
  private final ThreadPoolExecutor resolving = new ThreadPoolExecutor(RESOLVING_AT_ONCE, RESOLVING_AT_ONCE,
      30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(RESOLVING_QUEUE), runnable -> {
        Thread thread = new Thread(runnable, "registry-resolve");
        thread.setDaemon(true);
        return thread;
      });

  RegistryHttp(RegistrySettings settings, UpstreamAddresses addresses) {
    this.addresses = addresses;
    this.client = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .sslContext(RegistryTls.context(settings))
        .build();
    this.requestTimeout = settings.requestTimeout();
    resolving.allowCoreThreadTimeOut(true);
  }

  /**
   * GET {@code to}, once {@link UpstreamAddresses} allows the {@code hop} from {@code from} there.
   * The check looks the name up, which blocks: it runs on threads of its own, as callers may be on an
   * event loop (a cached probe completes at once, on the caller's thread).
   */
  CompletableFuture<Response> getAfterHop(URI from, URI to, UpstreamAddresses.Hop hop, Map<String, String> headers) {
    CompletableFuture<Void> checked;
    try {
      checked = CompletableFuture.runAsync(() -> addresses.ofHop(from, to, hop), resolving);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new RegistryException(UNREACHABLE,
          RESOLVING_QUEUE + " token realm lookups already waiting", e));
    }
    return checked.thenCompose(ignored -> get(to, headers));
  }

  CompletableFuture<Response> get(URI uri, Map<String, String> headers) {
    return get(uri, headers, RedirectPolicy.MAX_REDIRECTS);
  }

  private CompletableFuture<Response> get(URI uri, Map<String, String> headers, int redirectsLeft) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(requestTimeout).header("User-Agent", USER_AGENT);
    headers.forEach(request::header);
    return client.sendAsync(request.build(), BoundedBody.handler(MAX_BODY_BYTES))
        .handle((response, error) -> {
          if (error != null) {
            throw transportFailure(uri, error);
          }
          return new Response(response.statusCode(), response.headers(), response.body(), uri);
        })
        .thenCompose(response -> follow(response, headers, redirectsLeft));
  }

  private CompletableFuture<Response> follow(Response response, Map<String, String> headers, int redirectsLeft) {
    if (!RedirectPolicy.isRedirect(response.status())) {
      return CompletableFuture.completedFuture(response);
    }
    if (redirectsLeft == 0) {
      throw RedirectPolicy.tooMany(response.uri());
    }
    RedirectPolicy.Redirect next = RedirectPolicy.next(response.uri(), headers, response.header("Location"));
    addresses.ofHop(response.uri(), next.uri(), UpstreamAddresses.Hop.REDIRECT);
    return get(next.uri(), next.headers(), redirectsLeft - 1);
  }

  private static RuntimeException transportFailure(URI uri, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RegistryException known) {
      return known;
    }
    String where = uri.getScheme() + "://" + uri.getAuthority();
    if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
      return new RegistryException(TIMEOUT, where + " did not answer in time", cause);
    }
    return new RegistryException(UNREACHABLE, where + " is unreachable: " + describe(cause), cause);
  }

  private static String describe(Throwable cause) {
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
