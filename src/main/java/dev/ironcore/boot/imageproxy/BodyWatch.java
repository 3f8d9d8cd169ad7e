package dev.ironcore.boot.imageproxy;

import io.vertx.core.Vertx;
import java.time.Duration;

/** What every registry body is watched with: the timer source, the idle limit and the meters. */
record BodyWatch(Vertx vertx, Duration idleTimeout, ImageProxyMetrics metrics) {}
