package dev.ironcore.boot.oci;

import static dev.ironcore.boot.oci.RegistryException.Kind.TIMEOUT;
import static dev.ironcore.boot.oci.RegistryException.Kind.UNREACHABLE;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Small GET requests to registries and token endpoints (never layers): bounded bodies
 * ({@link MetadataBody}), a deadline per request, redirects followed by {@link RedirectPolicy} to where
 * {@link UpstreamAddresses} allows, and transport failures turned into {@link RegistryException}s. Each
 * goes over a {@link RegistryConnection} of its own to the address that was checked, never looking the
 * name up a second time (a name that answers differently then cannot slip past the check), on a
 * bounded pool of threads of its own: connecting and reading block.
 */
final class RegistryHttp {
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024; // distribution's own manifest limit

  /** A fully read response and the URI that answered it (after redirects). */
  record Response(int status, Map<String, String> headers, byte[] body, URI uri) {
    /** The first value of a header, case-insensitive; null when absent. */
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Requests under way at once (each a name lookup, a connect and a small body); more wait in the queue. */
  private static final int REQUESTS_AT_ONCE = 16;
  private static final int REQUESTS_QUEUED = 1024;

  private final RegistryConnection.Settings connections;
  private final Duration requestTimeout;
  private final UpstreamAddresses addresses;
  private final ThreadPoolExecutor requests = new ThreadPoolExecutor(REQUESTS_AT_ONCE, REQUESTS_AT_ONCE,
      30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(REQUESTS_QUEUED), daemon("registry-http"));
  /** Closes a connection whose request outlived its deadline, which fails the read blocked on it (one thread for all). */
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(daemon("registry-deadline"));

  RegistryHttp(RegistrySettings settings, UpstreamAddresses addresses) {
    this.addresses = addresses;
    this.requestTimeout = settings.requestTimeout();
    this.connections = new RegistryConnection.Settings(settings.connectTimeout(), settings.requestTimeout(),
        RegistryTls.context(settings).getSocketFactory());
    requests.allowCoreThreadTimeOut(true);
  }

  /** GET {@code to}, once {@link UpstreamAddresses} allows the {@code hop} from {@code from} there. */
  CompletableFuture<Response> getAfterHop(URI from, URI to, UpstreamAddresses.Hop hop, Map<String, String> headers) {
    return blocking(() -> fetch(to, addresses.ofHop(from, to, hop), headers));
  }

  /** GET {@code uri} on an allowed registry (whose own host may be anywhere but a metadata address). */
  CompletableFuture<Response> get(URI uri, Map<String, String> headers) {
    return blocking(() -> fetch(uri, addresses.ofRegistry(uri), headers));
  }

  private CompletableFuture<Response> blocking(Supplier<Response> request) {
    try {
      return CompletableFuture.supplyAsync(request, requests);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new RegistryException(UNREACHABLE,
          REQUESTS_QUEUED + " registry requests already waiting", e));
    }
  }

  private Response fetch(URI uri, InetAddress address, Map<String, String> headers) {
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    RegistryConnection connection = RegistryConnection.openFollowingRedirects(uri, address, headers, addresses, connections);
    ScheduledFuture<?> watchdog = DEADLINES.schedule(connection::close,
        Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    try (connection) {
      return new Response(connection.status(), connection.headers(), MetadataBody.read(connection, MAX_BODY_BYTES),
          connection.uri());
    } catch (IOException failure) {
      if (System.nanoTime() - deadline >= 0) {
        throw new RegistryException(TIMEOUT, connection.uri().getScheme() + "://" + connection.uri().getAuthority()
            + " did not answer in time", failure);
      }
      throw RegistryConnection.failure(connection.uri(), failure);
    } finally {
      watchdog.cancel(false);
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
