package dev.ironcore.boot.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.testing.MockCluster;
import dev.ironcore.boot.testing.ReviewingDispatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /metrics behind a TokenReview and a SubjectAccessReview, over a real socket, the reviews answered by the mock API. */
class MetricsAccessTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private ReviewingDispatcher reviewer;
  private MockCluster api;
  private KubernetesClient client;
  private Vertx vertx;
  private HttpServer server;
  private MetricsAccess access;

  @BeforeEach
  void start() {
    reviewer = new ReviewingDispatcher(Map.of("reader-token", "system:serviceaccount:monitoring:prometheus",
        "stranger-token", "system:serviceaccount:default:stranger"), Set.of("system:serviceaccount:monitoring:prometheus"));
    api = new MockCluster(reviewer);
    client = api.newClient();
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    access = new MetricsAccess(client.getConfiguration(), new SimpleMeterRegistry(), Clock.systemUTC());
    router.get("/metrics").handler(access)
        .handler(context -> context.response().end("boot_requests_total 1\n"));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
    access.close();
    client.close();
    api.close();
  }

  private HttpResponse<String> scrape(String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics"));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAllowedServiceAccountScrapes() throws Exception {
    HttpResponse<String> answer = scrape("Authorization", "Bearer reader-token");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("boot_requests_total");
  }

  @Test
  void noTokenIs401AndNoReviewIsAsked() throws Exception {
    HttpResponse<String> answer = scrape();

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body()).startsWith("Unauthorized: send a bearer token").doesNotContain("boot_requests_total");
    assertThat(reviewer.reviews()).isZero();
  }

  @Test
  void aTokenTheApiDoesNotKnowIs401() throws Exception {
    HttpResponse<String> answer = scrape("Authorization", "Bearer forged");

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body()).doesNotContain("boot_requests_total").doesNotContain("forged");
  }

  @Test
  void anAuthenticatedUserWithoutTheRightIs403NamingTheUser() throws Exception {
    HttpResponse<String> answer = scrape("Authorization", "Bearer stranger-token");

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("system:serviceaccount:default:stranger").doesNotContain("boot_requests_total");
  }

  @Test
  void decisionsAreCachedSoARepeatedScrapeAsksNothing() throws Exception {
    scrape("Authorization", "Bearer reader-token");
    int asked = reviewer.reviews();

    assertThat(scrape("Authorization", "Bearer reader-token").statusCode()).isEqualTo(200);
    assertThat(reviewer.reviews()).isEqualTo(asked);
  }

  @Test
  void theApiUnreachableIs503NeverAnOpenAnswer() throws Exception {
    api.close();

    HttpResponse<String> answer = scrape("Authorization", "Bearer reader-token");

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).startsWith("Service Unavailable").doesNotContain("boot_requests_total");
  }
}
