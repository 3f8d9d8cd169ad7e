package dev.ironcore.boot.imageproxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The image proxy's own meters (bytes and cache hits are the blob cache's): blob requests by status
 * and source, registry latency to the first response, registry failures by kind and downloads under way.
 */
public final class ImageProxyMetrics {
  private final MeterRegistry registry;
  private final Timer upstreamLatency;
  private final AtomicInteger downloads = new AtomicInteger();

  public ImageProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.upstreamLatency = Timer.builder("image_proxy_upstream_latency")
        .description("Time from asking a registry for a blob to its response headers (auth included)")
        .register(registry);
    Gauge.builder("image_proxy_upstream_downloads", downloads, AtomicInteger::get)
        .description("Blob downloads from registries under way").register(registry);
  }

  /** One answered blob request; {@code source} is cache, upstream or none (an error before any byte). */
  void request(int status, String source) {
    Counter.builder("image_proxy_requests").description("Blob requests by status and source")
        .tag("status", String.valueOf(status)).tag("source", source).register(registry).increment();
  }

  /** A prefetch ended: hit, fetched, skipped or failed. */
  void prefetch(String result) {
    Counter.builder("image_proxy_prefetches").description("Layers of Ready boot configs fetched ahead, by result")
        .tag("result", result).register(registry).increment();
  }

  /** A request for a layer no boot config references, under {@code scope} audit (served) or referenced (refused). */
  void unreferencedRequest(String scope) {
    Counter.builder("image_proxy_unreferenced_requests")
        .description("Blob requests for layers no boot config references, by boot.image-proxy-scope")
        .tag("scope", scope).register(registry).increment();
  }

  /** How many distinct layers boot configs reference now. */
  void referencedLayers(Supplier<Number> count) {
    Gauge.builder("image_proxy_referenced_layers", count).description("Layers that boot configs reference")
        .register(registry);
  }

  void upstreamResponded(Duration latency) {
    upstreamLatency.record(latency);
  }

  /** A registry failure: auth, not_found, timeout, aborted, unreachable, bad_response, … */
  void upstreamError(String kind) {
    Counter.builder("image_proxy_upstream_errors").description("Registry failures while fetching blobs, by kind")
        .tag("kind", kind.toLowerCase(Locale.ROOT)).register(registry).increment();
  }

  /** Registers the gauges of download slots taken and downloads waiting for one; called once by {@link DownloadSlots}. */
  void downloadSlots(Supplier<Number> active, Supplier<Number> queued) {
    Gauge.builder("image_proxy_downloads_active", active)
        .description("Registry downloads holding a slot (boot.max-upstream-downloads)").register(registry);
    Gauge.builder("image_proxy_downloads_queued", queued)
        .description("Registry downloads waiting for a slot (boot.max-queued-downloads)").register(registry);
  }

  /** A blob request refused by a bound: queue-full (503) or client-limit (429). */
  void refused(String reason) {
    Counter.builder("image_proxy_requests_refused").description("Blob requests refused by a bound on work, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  void downloadStarted() {
    downloads.incrementAndGet();
  }

  void downloadEnded() {
    downloads.decrementAndGet();
  }
}
