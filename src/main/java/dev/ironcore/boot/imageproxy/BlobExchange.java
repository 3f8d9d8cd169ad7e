package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.net.ClientAddress;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One blob request on its way: what it asked for, where the bytes came from, and its log line. */
final class BlobExchange {
  private static final Logger LOG = LoggerFactory.getLogger("boot.images");

  private final HttpServerRequest request;
  private final ImageProxyMetrics metrics;
  private final ClientAddress client;
  private final long startedNanos = System.nanoTime();
  private String imageName = "-";
  private String askedDigest = "-";
  private BlobTarget target;
  private String source = "none";
  private Runnable onFinished = () -> { };
  /** Body bytes the kernel sent from the cache's file (sendfile), which the response does not count. */
  private long sentByKernel;

  BlobExchange(HttpServerRequest request, ImageProxyMetrics metrics, ClientAddress client) {
    this.request = request;
    this.metrics = metrics;
    this.client = client;
  }

  HttpServerRequest request() {
    return request;
  }

  ClientAddress client() {
    return client;
  }

  HttpServerResponse response() {
    return request.response();
  }

  boolean httpBoot() {
    return request.path().startsWith("/httpboot/");
  }

  boolean head() {
    return HttpMethod.HEAD.equals(request.method());
  }

  /** Remembers which image the request asked for, to name it in an error answer. */
  BlobRequest asked(BlobRequest request) {
    this.imageName = request.imageName();
    this.askedDigest = request.layerDigest() == null ? "-" : request.layerDigest().toString();
    return request;
  }

  String imageName() {
    return imageName;
  }

  BlobTarget target() {
    return target;
  }

  BlobTarget target(BlobTarget resolved) {
    this.target = resolved;
    return resolved;
  }

  void source(boolean fromCache) {
    source(fromCache ? "cache" : "upstream");
  }

  /** Where the answer came from: cache, upstream, or for a HEAD answered from what is known, manifest. */
  void source(String source) {
    this.source = source;
  }

  void sentByKernel(long bytes) {
    sentByKernel += bytes;
  }

  /** {@code release} runs once the request is over (see {@link #finished}). */
  void whenFinished(Runnable release) {
    this.onFinished = release;
  }

  /** A blob cut before its end: failed or unverified, a client gone, or the connection closed for idleness. */
  void aborted(int status, Throwable cause) {
    finished(status, "aborted: " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
  }

  /** Logs and counts the request once it is over; {@code outcome} is ok, aborted or an error reason. */
  void finished(int status, String outcome) {
    onFinished.run();
    long millis = (System.nanoTime() - startedNanos) / 1_000_000;
    metrics.request(status, source);
    LOG.info("{} {} image={} digest={} client={} peer={} status={} bytes={} source={} outcome=\"{}\" duration={}ms",
        request.method(), httpBoot() ? "/httpboot" : "/image",
        target == null ? imageName : target.image().familiarName(), target == null ? askedDigest : target.digest(),
        client.client(), client.peer(), status, response().bytesWritten() + sentByKernel, source, outcome, millis);
  }
}
