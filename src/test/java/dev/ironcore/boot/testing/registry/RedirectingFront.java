package dev.ironcore.boot.testing.registry;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A registry front on 127.0.0.1 that sends manifests and blobs elsewhere, as ghcr.io or Docker Hub
 * send blobs to storage. It answers {@code /v2/} with the {@link TestRegistry}'s own answer (its
 * token challenge, if any) and checks every manifest or blob request's credentials against the
 * registry (a {@code HEAD} with the same {@code Authorization}), relaying a refusal as is; only an
 * accepted request gets a 307, to where {@link Target} says. Every answer of the front sets a
 * cookie ({@link #COOKIE}), and every request to the front or the CDN is recorded with its
 * credential headers, so a test sees exactly what crossed each hop.
 */
public final class RedirectingFront implements AutoCloseable {
  /** Set by every answer of the front; a client that kept cookies would send it back. */
  public static final String COOKIE = "front-session=f7b1c0de";
  private static final Pattern REGISTRY_PATH = Pattern.compile("/v2/(.+)/(blobs|manifests)/[^/]+");
  private static final String MOVED = "/moved";

  public enum Target {
    /**
     * A 307 to a "CDN" on 127.0.0.2 (another host): it serves from the registry with a token of
     * its own, like a presigned URL, and asks nothing of the client.
     */
    OTHER_HOST,
    /**
     * A 307 to {@code /moved/v2/…} on the front itself (same host:port), which serves from the
     * registry with the {@code Authorization} it was sent: a hop that lost it gets the registry's 401.
     */
    SAME_HOST
  }

  /** One request as a server saw it; a header it did not get is null. */
  public record Request(String method, String uri, String authorization, String cookie, String proxyAuthorization) {
    /** Whether the request's path or query mentions {@code text}, e.g. a digest. */
    public boolean isFor(String text) {
      return uri.contains(text);
    }

    public boolean carriesNoCredentials() {
      return authorization == null && cookie == null && proxyAuthorization == null;
    }
  }

  private final TestRegistry registry;
  private final Target target;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "redirecting-front");
    thread.setDaemon(true);
    return thread;
  });
  private final List<Request> frontRequests = new CopyOnWriteArrayList<>();
  private final List<Request> cdnRequests = new CopyOnWriteArrayList<>();
  private final HttpServer front;
  private final HttpServer cdn;
  private final String cdnScheme;

  private RedirectingFront(TestRegistry registry, Target target, SSLContext cdnTls) throws IOException {
    this.registry = registry;
    this.target = target;
    front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    front.createContext("/", this::front);
    front.setExecutor(threads);
    if (cdnTls == null) {
      cdn = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
      cdnScheme = "http";
    } else {
      HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(cdnTls));
      cdn = https;
      cdnScheme = "https";
    }
    cdn.createContext("/", this::cdn);
    cdn.setExecutor(threads);
    front.start();
    cdn.start();
  }

  /** A front for {@code registry}, on a free port of 127.0.0.1 (and its CDN on one of 127.0.0.2). */
  public static RedirectingFront start(TestRegistry registry, Target target) throws IOException {
    return new RedirectingFront(registry, target, null);
  }

  /** A front that sends manifests and blobs to a CDN on 127.0.0.2 that serves HTTPS only, with {@code cdnTls}. */
  public static RedirectingFront startWithHttpsCdn(TestRegistry registry, SSLContext cdnTls) throws IOException {
    return new RedirectingFront(registry, Target.OTHER_HOST, cdnTls);
  }

  /** {@code 127.0.0.1:<port>}, the registry part of an image reference that goes through the front. */
  public String host() {
    return "127.0.0.1:" + front.getAddress().getPort();
  }

  /** {@code 127.0.0.2:<port>}, where {@link Target#OTHER_HOST} redirects to. */
  public String cdnHost() {
    return "127.0.0.2:" + cdn.getAddress().getPort();
  }

  /** Every request the front got, {@code /v2/} probes and {@code /moved/} hops included, in order. */
  public List<Request> frontRequests() {
    return List.copyOf(frontRequests);
  }

  public List<Request> cdnRequests() {
    return List.copyOf(cdnRequests);
  }

  private void front(HttpExchange exchange) throws IOException {
    try (exchange) {
      frontRequests.add(recorded(exchange));
      exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "; Path=/");
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      String pathAndQuery = path + (query != null ? "?" + query : "");
      if (path.equals("/v2/")) {
        relay(exchange, "/v2/", forwarded(exchange));
      } else if (target == Target.SAME_HOST && path.startsWith(MOVED + "/v2/")) {
        relay(exchange, pathAndQuery.substring(MOVED.length()), forwarded(exchange));
      } else if (REGISTRY_PATH.matcher(path).matches()) {
        HttpResponse<InputStream> check = registry(exchange.getRequestURI().getRawPath(), "HEAD", forwarded(exchange));
        check.body().close();
        if (check.statusCode() != 200) {
          copyHeaders(check, exchange.getResponseHeaders());
          exchange.sendResponseHeaders(check.statusCode(), -1);
          return;
        }
        String to = target == Target.OTHER_HOST ? cdnScheme + "://" + cdnHost() : "http://" + host() + MOVED;
        exchange.getResponseHeaders().add("Location", to + pathAndQuery);
        exchange.sendResponseHeaders(307, -1);
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  private void cdn(HttpExchange exchange) throws IOException {
    try (exchange) {
      cdnRequests.add(recorded(exchange));
      String path = exchange.getRequestURI().getRawPath();
      Matcher registryPath = REGISTRY_PATH.matcher(path);
      if (!registryPath.matches()) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      Map<String, String> headers = accept(exchange);
      if (registry.tokenIssuer().isPresent()) {
        headers.put("Authorization", "Bearer " + registry.tokenIssuer().get().token("repository:" + registryPath.group(1) + ":pull"));
      }
      String query = exchange.getRequestURI().getRawQuery();
      relay(exchange, path + (query != null ? "?" + query : ""), headers);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** The headers the front passes on to the registry: the client's Authorization and Accept. */
  private static Map<String, String> forwarded(HttpExchange exchange) {
    Map<String, String> headers = accept(exchange);
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return headers;
  }

  private static Map<String, String> accept(HttpExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    if (accept != null) {
      headers.put("Accept", accept);
    }
    return headers;
  }

  /** The registry's answer to the same request, streamed back: status, the headers clients read, body. */
  private void relay(HttpExchange exchange, String pathAndQuery, Map<String, String> headers) throws IOException {
    HttpResponse<InputStream> upstream = registry(pathAndQuery, exchange.getRequestMethod(), headers);
    try (InputStream body = upstream.body()) {
      copyHeaders(upstream, exchange.getResponseHeaders());
      long length = upstream.headers().firstValueAsLong("Content-Length").orElse(-1);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(upstream.statusCode(), head || length == 0 ? -1 : Math.max(length, 0));
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          body.transferTo(out);
        } catch (IOException clientWentAway) {
          // e.g. the image proxy answered a HEAD and cancelled its download: nothing to do
        }
      }
    }
  }

  private HttpResponse<InputStream> registry(String pathAndQuery, String method, Map<String, String> headers)
      throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + registry.host() + pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void copyHeaders(HttpResponse<?> from, Headers to) {
    for (String name : List.of("Content-Type", "Docker-Content-Digest", "Www-Authenticate", "Etag")) {
      from.headers().firstValue(name).ifPresent(value -> to.add(name, value));
    }
  }

  private static Request recorded(HttpExchange exchange) {
    Headers headers = exchange.getRequestHeaders();
    return new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
        joined(headers, "Authorization"), joined(headers, "Cookie"), joined(headers, "Proxy-Authorization"));
  }

  private static String joined(Headers headers, String name) {
    List<String> values = headers.get(name);
    return values == null ? null : String.join(", ", values);
  }

  @Override
  public void close() {
    front.stop(0);
    cdn.stop(0);
    threads.shutdownNow();
  }
}
