package dev.ironcore.boot.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probes run their checks on threads of their own: a Vert.x worker pool with no thread free does not stop them. */
class ManagementEndpointsTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final CountDownLatch workersBusy = new CountDownLatch(1);
  private Vertx vertx;
  private DefaultCamelContext camel;
  private HttpServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(2));
    camel = new DefaultCamelContext();
    camel.start();
    WorkerExecutor checks = vertx.createSharedWorkerExecutor("health-probes", 2);
    Router router = Router.router(vertx);
    ManagementEndpoints.register(router, camel, checks, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void stop() {
    workersBusy.countDown();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    camel.stop();
  }

  @Test
  void healthzAndReadyzAnswerWhileEveryVertxWorkerIsBusy() throws Exception {
    // Given every thread of the Vert.x worker pool (which serves /ignition) held by other work
    CountDownLatch holding = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      vertx.executeBlocking(() -> {
        holding.countDown();
        return workersBusy.await(30, TimeUnit.SECONDS);
      }, false);
    }
    assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

    // When the kubelet probes
    HttpResponse<String> liveness = probe("/healthz");
    HttpResponse<String> readiness = probe("/readyz");

    // Then both are answered (within a generous bound), and say the service is up
    assertThat(liveness.statusCode()).isEqualTo(200);
    assertThat(liveness.body()).isEqualTo("ok\n");
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).isEqualTo("ok\n");
  }

  private HttpResponse<String> probe(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
