package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.blobcache.BlobBody;
import dev.ironcore.boot.blobcache.UpstreamBlob;
import dev.ironcore.boot.config.DownloadLimitSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The order in which waiting downloads get a slot, and the bound on how many wait. */
class DownloadSlotsTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> started = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void machinesGoBeforePrefetchesAndAMachineAskingForAWaitingPrefetchMovesItUp() throws Exception {
    // Given one slot, taken
    DownloadSlots slots = new DownloadSlots(vertx, new DownloadLimitSettings(1, 8, 32, 0), new ImageProxyMetrics(meters));
    UpstreamBlob running = result(slots.fetch(DownloadSlots.Priority.MACHINE, "first", () -> download("first")));

    // When two prefetches and two machines wait, and a machine asks for the blob of the second prefetch
    List<Future<UpstreamBlob>> waiting = List.of(
        slots.fetch(DownloadSlots.Priority.PREFETCH, "p1", () -> download("p1")),
        slots.fetch(DownloadSlots.Priority.PREFETCH, "p2", () -> download("p2")),
        slots.fetch(DownloadSlots.Priority.MACHINE, "m1", () -> download("m1")));
    slots.promote("p2");
    Future<UpstreamBlob> lastMachine = slots.fetch(DownloadSlots.Priority.MACHINE, "m2", () -> download("m2"));
    assertThat(slots.queued()).isEqualTo(4);

    // Then each closed download lets the next start: the machines in order (p2 among them), then p1
    running.cancel();
    for (Future<UpstreamBlob> next : List.of(waiting.get(2), waiting.get(1), lastMachine, waiting.get(0))) {
      result(next).cancel();
    }
    assertThat(started).containsExactly("first", "m1", "p2", "m2", "p1");
    assertThat(slots.active()).isZero();
    assertThat(slots.queued()).isZero();
  }

  @Test
  void pastTheQueueARequestIsRefusedWithWhenToRetryAndAFailedFetchGivesItsSlotBack() throws Exception {
    // Given one slot, taken, and one download waiting
    DownloadSlots slots = new DownloadSlots(vertx, new DownloadLimitSettings(1, 1, 32, 0), new ImageProxyMetrics(meters));
    UpstreamBlob running = result(slots.fetch(DownloadSlots.Priority.MACHINE, "a", () -> download("a")));
    Future<UpstreamBlob> failing = slots.fetch(DownloadSlots.Priority.MACHINE, "b",
        () -> Future.failedFuture(new IllegalStateException("registry down")));

    // Then one more is refused at once
    Future<UpstreamBlob> refused = slots.fetch(DownloadSlots.Priority.MACHINE, "c", () -> download("c"));
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(RetryLaterException.class)
        .hasMessageContaining("boot.max-queued-downloads");
    assertThat(((RetryLaterException) refused.cause()).status()).isEqualTo(503);
    assertThat(meters.get("image_proxy_requests_refused").tag("reason", "queue-full").counter().count()).isEqualTo(1);

    // And once the first ends, the waiting one fails and gives its slot back: nothing is left taken
    running.cancel();
    await().atMost(Duration.ofSeconds(5)).until(failing::failed);
    assertThat(slots.active()).isZero();
    assertThat(meters.get("image_proxy_downloads_active").gauge().value()).isZero();
  }

  private Future<UpstreamBlob> download(String name) {
    started.add(name);
    return Future.succeededFuture(new UpstreamBlob(0, new EmptyBody()));
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A registry body with nothing in it. */
  private static final class EmptyBody implements BlobBody {
    @Override
    public int read(ByteBuffer destination) {
      return -1;
    }

    @Override
    public int available() {
      return 0;
    }

    @Override
    public void close() {
      // nothing held
    }
  }
}
