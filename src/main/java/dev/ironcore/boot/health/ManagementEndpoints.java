package dev.ironcore.boot.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/** {@code /healthz}, {@code /readyz} and {@code /metrics} as the Go operator's probes and scrapers expect. */
public final class ManagementEndpoints {
  private ManagementEndpoints() {}

  /**
   * The probes, their checks run on {@code checks} (threads of their own: a probe must not queue behind
   * requests or blob work on the Vert.x workers, or a busy pod would be restarted); with
   * {@code plainMetrics} also {@code /metrics} for anyone (metrics not served securely).
   */
  public static void register(Router router, CamelContext camel, WorkerExecutor checks, PrometheusMeterRegistry metrics,
      boolean plainMetrics) {
    router.get("/healthz").handler(rc -> respond(rc, camel, checks, true));
    router.get("/readyz").handler(rc -> respond(rc, camel, checks, false));
    if (plainMetrics) {
      router.get("/metrics").handler(scrape(metrics));
    }
  }

  /** The Prometheus text of every meter. */
  static Handler<RoutingContext> scrape(PrometheusMeterRegistry metrics) {
    return rc -> rc.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape());
  }

  private static void respond(RoutingContext rc, CamelContext camel, WorkerExecutor checks, boolean liveness) {
    checks.<String>executeBlocking(() -> {
      var results = liveness ? HealthCheckHelper.invokeLiveness(camel) : HealthCheckHelper.invokeReadiness(camel);
      return results.stream()
          .filter(result -> result.getState() != HealthCheck.State.UP)
          .map(result -> result.getCheck().getId() + ": " + result.getMessage().orElse(result.getState().name()))
          .collect(Collectors.joining("; "));
    }, false).onComplete(done -> {
      String failing = done.succeeded() ? done.result() : String.valueOf(done.cause());
      rc.response().putHeader("Content-Type", "text/plain; charset=utf-8")
          .setStatusCode(failing.isEmpty() ? 200 : 503)
          .end(failing.isEmpty() ? "ok\n" : failing + "\n");
    });
  }
}
