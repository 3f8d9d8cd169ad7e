package dev.ironcore.boot.web;

import dev.ironcore.boot.delivery.Delivery;
import dev.ironcore.boot.delivery.DeliveryConditions;
import dev.ironcore.boot.net.ClientAddress;
import dev.ironcore.boot.net.TrustedProxies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After every boot request (routes in group {@value #GROUP}): one log line (endpoint, machine, client
 * and peer address, status, duration; never a body), request metrics by endpoint and outcome, and the delivery
 * condition the bean asked for.
 */
public class BootRequestObserver implements RoutePolicyFactory {
  public static final String GROUP = "boot";
  /** The logger of the one line per boot request. */
  public static final String REQUEST_LOG = "boot.requests";
  private static final Logger LOG = LoggerFactory.getLogger(REQUEST_LOG);
  /** Few, fixed buckets around the 20 ms p99 target keep the scrape small. */
  private static final Duration[] LATENCY_BUCKETS = Stream.of(1, 2, 5, 10, 20, 50, 100, 250, 1000)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private final MeterRegistry metrics;
  private final DeliveryConditions deliveries;
  private final TrustedProxies trustedProxies;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public BootRequestObserver(MeterRegistry metrics, DeliveryConditions deliveries, TrustedProxies trustedProxies) {
    this.metrics = metrics;
    this.deliveries = deliveries;
    this.trustedProxies = trustedProxies;
  }

  @Override
  public RoutePolicy createRoutePolicy(org.apache.camel.CamelContext context, String routeId, NamedNode route) {
    return new RoutePolicySupport() {
      @Override
      public void onExchangeBegin(Route route, Exchange exchange) {
        if (GROUP.equals(route.getGroup())) {
          // while the request headers are there: answers replace them
          BootRequests.client(exchange, trustedProxies);
        }
      }

      @Override
      public void onExchangeDone(Route route, Exchange exchange) {
        if (GROUP.equals(route.getGroup())) {
          observe(route.getRouteId(), exchange);
        }
      }
    };
  }

  private void observe(String endpoint, Exchange exchange) {
    long millis = System.currentTimeMillis() - exchange.getClock().getCreated();
    Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    int code = status == null ? (exchange.isFailed() ? 500 : 200) : status;
    String outcome = outcome(code);
    String machine = exchange.getProperty(BootRequests.MACHINE, "-", String.class);
    ClientAddress client = BootRequests.client(exchange, trustedProxies);
    LOG.info("endpoint={} machine={} client={} peer={} status={} outcome={} durationMs={}", endpoint, machine,
        client.client(), client.peer(), code, outcome, millis);
    timers.computeIfAbsent(endpoint + " " + code, key -> Timer.builder("boot_requests")
            .description("Boot requests by endpoint and outcome")
            .tags("endpoint", endpoint, "outcome", outcome, "status", String.valueOf(code))
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(metrics))
        .record(millis, TimeUnit.MILLISECONDS);
    Delivery delivery = exchange.getProperty(BootRequests.DELIVERY, Delivery.class);
    if (delivery != null && (code == 200) == delivery.delivered()) {
      deliveries.record(delivery);
    }
  }

  static String outcome(int status) {
    if (status < 400) {
      return "ok";
    }
    return switch (status) {
      case 400 -> "bad_request";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "ambiguous";
      case 422 -> "invalid_config";
      case 501 -> "not_implemented";
      case 503 -> "disabled";
      default -> status < 500 ? "client_error" : "server_error";
    };
  }
}
