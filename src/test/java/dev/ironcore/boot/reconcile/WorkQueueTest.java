package dev.ironcore.boot.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private static final Duration NOTHING_COMES = Duration.ofMillis(30);

  private final WorkQueue queue =
      new WorkQueue("test", new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(80)));

  @AfterEach
  void closeQueue() {
    queue.close();
  }

  @Test
  void aKeyAddedSeveralTimesIsQueuedOnce() throws Exception {
    // Given / When
    queue.add("ns/a");
    queue.add("ns/b");
    queue.add("ns/a");

    // Then
    assertThat(queue.depth()).isEqualTo(2);
    assertThat(queue.poll(NOTHING_COMES)).isEqualTo("ns/a");
    assertThat(queue.poll(NOTHING_COMES)).isEqualTo("ns/b");
    assertThat(queue.poll(NOTHING_COMES)).isNull();
  }

  @Test
  void aKeyBeingProcessedIsHandedOutAgainOnlyAfterDone() throws Exception {
    // Given a key being processed
    queue.add("ns/a");
    String key = queue.poll(NOTHING_COMES);

    // When it is added again meanwhile
    queue.add("ns/a");
    queue.add("ns/a");

    // Then nobody gets it until it is done, and then exactly once more
    assertThat(queue.poll(NOTHING_COMES)).isNull();
    queue.done(key);
    assertThat(queue.poll(NOTHING_COMES)).isEqualTo("ns/a");
    queue.done("ns/a");
    assertThat(queue.poll(NOTHING_COMES)).isNull();
  }

  @Test
  void aKeyNotAddedDuringProcessingIsNotQueuedAgain() throws Exception {
    queue.add("ns/a");
    queue.done(queue.poll(NOTHING_COMES));

    assertThat(queue.poll(NOTHING_COMES)).isNull();
  }

  @Test
  void concurrentWorkersNeverProcessOneKeyTwiceAtOnceAndAlwaysSeeTheLastAdd() throws Exception {
    // Given four workers that note, per key, the latest add they saw when they started on it
    Map<String, AtomicInteger> adds = new ConcurrentHashMap<>();
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      workers.execute(() -> work(key -> {
        seen.merge(key, adds.get(key).get(), Math::max);
        if (inFlight.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        sleepBriefly(); // widens the window in which a second worker could wrongly get the key
        inFlight.get(key).decrementAndGet();
      }));
    }

    // When three keys are added over and over while being processed
    List<String> keys = List.of("ns/a", "ns/b", "ns/c");
    for (int round = 0; round < 300; round++) {
      for (String key : keys) {
        adds.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        queue.add(key);
      }
    }

    // Then every key's last add is processed, never by two workers at once
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        keys.forEach(key -> assertThat(seen.get(key)).isEqualTo(300)));
    workers.shutdownNow();
    assertThat(workers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(overlaps).hasValue(0);
  }

  private void work(Consumer<String> process) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        String key = queue.poll(Duration.ofMillis(10));
        if (key != null) {
          process.accept(key);
          queue.done(key);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void failedKeysComeBackAfterACappedGrowingDelay() throws Exception {
    List<Duration> delays = new ArrayList<>();
    for (int failure = 0; failure < 4; failure++) {
      delays.add(queue.retryLater("ns/a"));
    }

    assertThat(delays).containsExactly(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80),
        Duration.ofMillis(80));
    assertThat(queue.poll(Duration.ofSeconds(2))).isEqualTo("ns/a");
  }

  @Test
  void aRetriedKeyIsNotHandedOutBeforeItsDelay() throws Exception {
    try (WorkQueue slow = new WorkQueue("slow", new Backoff(Duration.ofMillis(400), 2.0, Duration.ofSeconds(1)))) {
      slow.retryLater("ns/a");

      assertThat(slow.poll(Duration.ofMillis(100))).isNull();
      assertThat(slow.poll(Duration.ofSeconds(2))).isEqualTo("ns/a");
    }
  }

  @Test
  void forgettingAKeyRestartsItsBackoff() {
    queue.retryLater("ns/a");
    queue.retryLater("ns/a");

    queue.forget("ns/a");

    assertThat(queue.retryLater("ns/a")).isEqualTo(Duration.ofMillis(20));
  }
}
