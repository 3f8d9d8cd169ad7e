package dev.ironcore.boot.ignition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ironcore.boot.config.ButaneSettings;
import dev.ironcore.boot.ignition.butane.ButaneException;
import dev.ironcore.boot.ignition.butane.ButaneTranslator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One translation per Secret version, on bounded threads, with a deadline. */
class ButaneTranslationsTest {
  private static final String BUTANE = "variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /etc/hostname\n"
      + "      contents:\n        inline: node-1\n";

  private static final String TRANSLATOR_PACKAGE = "dev.ironcore.boot.ignition.butane.";

  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final List<ButaneTranslations> opened = new ArrayList<>();
  private final ExecutorService callers = Executors.newFixedThreadPool(16);

  @AfterEach
  void close() {
    opened.forEach(ButaneTranslations::close);
    callers.shutdownNow();
  }

  @Test
  void concurrentRequestsForOneSecretVersionShareOneTranslation() throws Exception {
    ButaneTranslations translations = open(ButaneSettings.DEFAULT, null);
    CyclicBarrier start = new CyclicBarrier(16);
    List<Future<byte[]>> answers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      answers.add(callers.submit(() -> {
        start.await();
        return translations.translate(secret("1"), bytes(BUTANE));
      }));
    }

    for (Future<byte[]> answer : answers) {
      assertThat(new String(answer.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).contains("data:,node-1");
    }
    assertThat(translated("ok")).isEqualTo(1.0);
    // And a new version of the Secret is translated afresh
    translations.translate(secret("2"), bytes(BUTANE));
    assertThat(translated("ok")).isEqualTo(2.0);
  }

  @Test
  void callersThatComeWhileATranslationRunsWaitForIt() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ButaneTranslations translations = open(ButaneSettings.DEFAULT, data -> {
      runs.incrementAndGet();
      await(release);
      return "{}";
    });
    List<Future<byte[]>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      answers.add(callers.submit(() -> translations.translate(secret("1"), bytes(BUTANE))));
    }
    Thread.sleep(200); // let every caller arrive while the one translation is held

    release.countDown();
    for (Future<byte[]> answer : answers) {
      assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(bytes("{}"));
    }
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void aTranslationPastItsDeadlineIsInterruptedAndItsVersionKeepsTheError() {
    AtomicInteger runs = new AtomicInteger();
    AtomicBoolean interrupted = new AtomicBoolean();
    ButaneTranslations translations = open(settings(Duration.ofMillis(300), 1, 4), data -> {
      runs.incrementAndGet();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
      return "{}";
    });

    long start = System.nanoTime();
    assertThatThrownBy(() -> translations.translate(secret("1"), bytes(BUTANE))).isInstanceOf(ButaneException.class)
        .hasMessage("Butane translation did not finish within 300 ms; the config is too large or complex to translate");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
    // Asking again for the same version answers the cached error at once, without translating again
    assertThatThrownBy(() -> translations.translate(secret("1"), bytes(BUTANE))).hasMessageContaining("300 ms");
    assertThat(runs.get()).isEqualTo(1);
    assertThat(translated("timeout")).isEqualTo(1.0);
  }

  @Test
  void theRealTranslatorStopsAtItsDeadline() {
    StringBuilder large = new StringBuilder("variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n");
    for (int i = 0; large.length() < 900 * 1024; i++) {
      large.append("    - path: /etc/f").append(i).append("\n      contents:\n        inline: x\n");
    }
    ButaneTranslations translations = open(settings(Duration.ofMillis(50), 1, 4), null);

    // 900 KiB of files take a few hundred ms to translate
    assertThatThrownBy(() -> translations.translate(secret("1"), bytes(large.toString())))
        .isInstanceOf(ButaneException.class).hasMessageContaining("did not finish within 50 ms");
    // and the translation stops: no thread is left inside the translator
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().values()
        .stream().flatMap(Arrays::stream).noneMatch(frame -> frame.getClassName().startsWith(TRANSLATOR_PACKAGE)));
  }

  @Test
  void theTranslatorGivesUpWhenItsThreadIsInterrupted() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> new ButaneTranslator().translate(bytes(BUTANE)))
          .isInstanceOf(ButaneException.class).hasMessage("translation interrupted");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void whenTooManyTranslationsWaitTheCallerIsToldToRetryAndNothingIsCached() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    ButaneTranslations translations = open(settings(Duration.ofSeconds(30), 1, 1), data -> {
      runs.incrementAndGet();
      await(release);
      return "{}";
    });
    Future<byte[]> running = callers.submit(() -> translations.translate(secret("1"), bytes(BUTANE)));
    Future<byte[]> queued = callers.submit(() -> translations.translate(secret("2"), bytes(BUTANE)));
    // one runs and the other is queued behind it (whichever the callers' threads submitted first)
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1
        && translations.waitingTranslations() == 1);

    assertThatThrownBy(() -> translations.translate(secret("3"), bytes(BUTANE)))
        .isInstanceOf(ButaneBusyException.class).hasMessage("too many Butane translations are waiting");
    release.countDown();
    assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(bytes("{}"));
    assertThat(queued.get(30, TimeUnit.SECONDS)).isEqualTo(bytes("{}"));
    assertThat(translations.translate(secret("3"), bytes(BUTANE))).isEqualTo(bytes("{}"));
  }

  @Test
  void aTranslationThatFindsNoThreadInTimeLeavesTheQueueAndGivesItsPlaceBack() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ButaneTranslations translations = open(settings(Duration.ofMillis(500), 1, 1), data -> {
      awaitIgnoringInterrupts(release); // holds the one thread past its deadline
      return "{}";
    });
    Future<byte[]> holding = callers.submit(() -> translations.translate(secret("1"), bytes(BUTANE)));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> translations.waitingTranslations() == 0
        && !holding.isDone());
    Thread.sleep(50); // the first translation is on the thread now

    assertThatThrownBy(() -> translations.translate(secret("2"), bytes(BUTANE)))
        .isInstanceOf(ButaneBusyException.class).hasMessage("no Butane translation thread was free in time");
    assertThat(translations.waitingTranslations()).isZero();
    // its place in the queue is free again: the next translation waits there instead of being refused
    Future<byte[]> next = callers.submit(() -> translations.translate(secret("3"), bytes(BUTANE)));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> translations.waitingTranslations() == 1);
    release.countDown();
    assertThat(next.get(30, TimeUnit.SECONDS)).isEqualTo(bytes("{}"));
    // and the version that found no thread was not cached: it is translated now
    assertThat(translations.translate(secret("2"), bytes(BUTANE))).isEqualTo(bytes("{}"));
  }

  @Test
  void translationsThatArriveTogetherAreAllAdmittedWhileThreadsAndQueueHaveRoom() throws Exception {
    // One thread and a queue of one admit two translations, however close together they come: the
    // queue's one place must not count as taken while the idle thread is only about to take its task.
    for (int round = 0; round < 50; round++) {
      CountDownLatch release = new CountDownLatch(1);
      ButaneTranslations translations = open(settings(Duration.ofSeconds(30), 1, 1), data -> {
        await(release);
        return "{}";
      });
      CyclicBarrier start = new CyclicBarrier(2);
      List<Future<byte[]>> answers = new ArrayList<>();
      for (String version : List.of("1", "2")) {
        answers.add(callers.submit(() -> {
          start.await();
          return translations.translate(secret(version), bytes(BUTANE));
        }));
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
          .until(() -> translations.waitingTranslations() == 1 || answers.stream().anyMatch(Future::isDone));
      release.countDown();
      for (Future<byte[]> answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(bytes("{}"));
      }
    }
  }

  @Test
  void aConfigOverTheSizeBoundIsRefusedNamingTheBound() {
    ButaneTranslations translations = open(new ButaneSettings(64, Duration.ofSeconds(5), 1, 4, 16), null);

    assertThatThrownBy(() -> translations.translate(secret("1"), bytes(BUTANE))).isInstanceOf(ButaneException.class)
        .hasMessage("config is too large: " + BUTANE.length() + " bytes, the limit is 64");
  }

  @Test
  void theCacheKeepsAtMostItsBoundOfVersions() {
    AtomicInteger runs = new AtomicInteger();
    ButaneTranslations translations = open(new ButaneSettings(1024, Duration.ofSeconds(5), 1, 4, 2), data -> {
      runs.incrementAndGet();
      return "{}";
    });
    for (String version : List.of("1", "2", "3", "1")) {
      translations.translate(secret(version), bytes(BUTANE));
    }

    assertThat(runs.get()).isEqualTo(4); // version 1 was evicted by 2 and 3
  }

  private ButaneTranslations open(ButaneSettings settings, Function<byte[], String> translation) {
    ButaneTranslations translations = translation == null
        ? new ButaneTranslations(settings, metrics)
        : new ButaneTranslations(settings, metrics, translation);
    opened.add(translations);
    return translations;
  }

  private static ButaneSettings settings(Duration timeout, int threads, int queue) {
    return new ButaneSettings(ButaneSettings.DEFAULT.maxInputBytes(), timeout, threads, queue, 64);
  }

  private double translated(String result) {
    var counter = metrics.find("boot_butane_translations_total").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Secret secret(String resourceVersion) {
    return new SecretBuilder().withNewMetadata().withNamespace("default").withName("butane").withUid("uid-1")
        .withResourceVersion(resourceVersion).endMetadata().build();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (latch.getCount() > 0 && System.nanoTime() < deadline) {
      try {
        latch.await(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // a translator that does not stop when interrupted, on purpose
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
