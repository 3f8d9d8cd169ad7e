package dev.ironcore.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.platform.http.DefaultPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A route that opts in with {@code platformHttpEngine: "#eventLoopHttpEngine"} runs on the Vert.x
 * event loop and otherwise behaves as the stock platform-http consumer: the same answers, the same
 * error mapping through the routeConfiguration, 405, 503 while suspended, no exchange left in flight.
 */
class EventLoopHttpConsumerTest {
  private static final String ROUTES = """
      - route:
          id: on-loop
          routeConfigurationId: http-errors
          from:
            uri: platform-http:/loop/{what}
            parameters:
              httpMethodRestrict: GET
              useBodyHandler: false
              platformHttpEngine: "#eventLoopHttpEngine"
            steps:
              - bean: {ref: probe, method: answer}
              - bean: {ref: bootResponses, method: text}
      - route:
          id: on-loop-async
          routeConfigurationId: http-errors
          from:
            uri: platform-http:/loop-async/{what}
            parameters:
              httpMethodRestrict: GET
              useBodyHandler: false
              platformHttpEngine: "#eventLoopHttpEngine"
            steps:
              # continues on a scheduler thread: the answer must still be written
              - delay: {constant: 20, asyncDelayed: true}
              - bean: {ref: probe, method: answer}
              - bean: {ref: bootResponses, method: text}
      - route:
          id: on-worker
          routeConfigurationId: http-errors
          from:
            uri: platform-http:/worker/{what}
            parameters:
              httpMethodRestrict: GET
              useBodyHandler: false
            steps:
              - bean: {ref: probe, method: answer}
              - bean: {ref: bootResponses, method: text}
      """;

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static Vertx vertx;
  private static CamelContext camel;
  private static int port;
  private static final Probe PROBE = new Probe();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    port = AvailablePortFinder.getNextAvailable();
    camel = context(vertx, port, ROUTES);
    camel.start();
  }

  @AfterAll
  static void stop() throws Exception {
    camel.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void nothingLeftInFlight() {
    await().atMost(Duration.ofSeconds(5)).until(() -> camel.getInflightRepository().size() == 0);
  }

  @Test
  void anOptedInRouteRunsOnTheEventLoopAndAnswersAsTheStockConsumer() throws Exception {
    HttpResponse<String> onLoop = get("/loop/hello");
    HttpResponse<String> onWorker = get("/worker/hello");

    assertThat(onLoop.statusCode()).isEqualTo(200);
    assertThat(onLoop.body()).isEqualTo("hello\n");
    assertThat(PROBE.threads.get("on-loop/hello")).startsWith("event-loop vert.x-eventloop-thread-");
    assertThat(PROBE.threads.get("on-worker/hello")).startsWith("worker vert.x-worker-thread-");
    // byte for byte the same answer: status, body, Content-Length, Content-Type, no extra header
    assertThat(onLoop.body()).isEqualTo(onWorker.body());
    assertThat(onLoop.headers().map()).isEqualTo(onWorker.headers().map());
    assertThat(onLoop.headers().firstValue("content-length")).hasValue("6");
  }

  @Test
  void failuresAreMappedByTheRouteConfigurationWithoutAStackTrace() throws Exception {
    HttpResponse<String> missing = get("/loop/missing");
    HttpResponse<String> broken = get("/loop/broken");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("nothing for missing\n");
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(broken.body()).isEqualTo("Internal Server Error\n");
    assertThat(broken.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(get("/worker/broken").headers().map()).isEqualTo(broken.headers().map());
  }

  @Test
  void otherMethodsGet405() throws Exception {
    assertThat(send("POST", "/loop/hello").statusCode()).isEqualTo(405);
    assertThat(send("DELETE", "/loop/hello").statusCode()).isEqualTo(405);
  }

  @Test
  void aRouteThatContinuesOnAnotherThreadIsStillAnswered() throws Exception {
    HttpResponse<String> response = get("/loop-async/later");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("later\n");
    assertThat(get("/loop-async/missing").statusCode()).isEqualTo(404);
  }

  @Test
  void aSuspendedRouteAnswers503UntilResumed() throws Exception {
    camel.getRouteController().suspendRoute("on-loop");
    try {
      assertThat(get("/loop/hello").statusCode()).isEqualTo(503);
    } finally {
      camel.getRouteController().resumeRoute("on-loop");
    }
    assertThat(get("/loop/hello").statusCode()).isEqualTo(200);
  }

  @Test
  void completesEveryExchangeSoRouteStatisticsCount() throws Exception {
    long before = completed("on-loop");

    get("/loop/one");
    get("/loop/missing");

    await().atMost(Duration.ofSeconds(5)).until(() -> completed("on-loop") == before + 2);
    assertThat(camel.getRoute("on-loop").getConsumer()).isInstanceOfSatisfying(DefaultPlatformHttpConsumer.class,
        consumer -> assertThat(consumer.getPlatformHttpConsumer()).isInstanceOf(EventLoopHttpConsumer.class));
  }

  @Test
  void refusesARouteThatWouldReadRequestBodiesOnTheEventLoop() throws Exception {
    Vertx other = Vertx.vertx();
    CamelContext context = context(other, AvailablePortFinder.getNextAvailable(), """
        - route:
            id: reads-bodies
            from:
              uri: platform-http:/upload
              parameters:
                platformHttpEngine: "#eventLoopHttpEngine"
              steps:
                - bean: {ref: bootResponses, method: text}
        """);
    try {
      assertThatThrownBy(context::start).hasStackTraceContaining("useBodyHandler=false");
    } finally {
      context.close();
      other.close();
    }
  }

  private static CamelContext context(Vertx vertx, int port, String routes) {
    try {
      CamelContext context = new DefaultCamelContext();
      context.getRegistry().bind("vertx", vertx);
      VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
      server.setBindHost("127.0.0.1");
      server.setBindPort(port);
      context.addService(new VertxPlatformHttpServer(server));
      context.getRegistry().bind(EventLoopHttpEngine.NAME, new EventLoopHttpEngine(port));
      context.getRegistry().bind("probe", PROBE);
      context.getRegistry().bind("bootResponses", new BootResponses());
      context.getRegistry().bind("httpErrors", new HttpErrors());
      PluginHelper.getRoutesLoader(context).loadRoutes(
          ResourceHelper.resolveMandatoryResource(context, "classpath:routes/http-errors.camel.yaml"),
          ResourceHelper.fromString("event-loop-test.camel.yaml", routes));
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long completed(String routeId) throws Exception {
    var mbean = camel.getCamelContextExtension().getContextPlugin(org.apache.camel.api.management.ManagedCamelContext.class)
        .getManagedRoute(routeId);
    return mbean.getExchangesCompleted();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Answers with the path parameter, or fails the way boot beans do; remembers which thread ran it. */
  public static final class Probe {
    final Map<String, String> threads = new ConcurrentHashMap<>();

    public byte[] answer(@Header("what") String what, Exchange exchange) {
      String thread = Thread.currentThread().getName();
      threads.put(exchange.getFromRouteId() + "/" + what, (Context.isOnEventLoopThread() ? "event-loop " : "worker ") + thread);
      if (what.equals("missing")) {
        throw new NotFoundException("nothing for " + what);
      }
      if (what.equals("broken")) {
        throw new IllegalStateException("secret-value\n\tat somewhere");
      }
      return (what + "\n").getBytes(StandardCharsets.UTF_8);
    }
  }
}
