package dev.ironcore.boot.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingConsoleAppenderTest {
  private final LoggerContext logback = context();
  private final Writes writes = new Writes();
  private final Logger log = logback.getLogger("test");

  @AfterEach
  void stopLogging() {
    logback.stop();
  }

  @Test
  void writesEveryLineInOrderEvenWhenTheQueueIsFull() throws Exception {
    // Given a queue of 4 lines and 8 threads logging 500 lines each
    start(4, 200);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String name = "t" + t;
      Thread thread = new Thread(() -> {
        awaitQuietly(go);
        for (int i = 0; i < 500; i++) {
          log.info("{} line {}", name, i);
        }
      }, name);
      threads.add(thread);
      thread.start();
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    // Then all 4000 are written (callers waited for room, nothing was dropped), each thread's in order
    await().atMost(Duration.ofSeconds(10)).until(() -> writes.lines().size() == 4000);
    Map<String, List<String>> byThread = writes.lines().stream()
        .collect(Collectors.groupingBy(line -> line.substring(0, line.indexOf(' ')), Collectors.toList()));
    assertThat(byThread).hasSize(8);
    byThread.values().forEach(lines -> {
      for (int i = 0; i < lines.size(); i++) {
        assertThat(lines.get(i)).endsWith(" line " + i);
      }
    });
  }

  @Test
  void gathersLinesIntoFewWritesOfWholeLinesOfAtMostFourKib() {
    start(8192, 20_000);

    for (int i = 0; i < 1000; i++) {
      log.info("request {} endpoint=ipxe-script machine=8a1b2c3d-0000-4000-8000-000000000001 status=200", i);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> writes.lines().size() == 1000);
    assertThat(writes.count()).isLessThan(100);
    assertThat(writes.sizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(4096));
    assertThat(writes.chunks()).allSatisfy(chunk -> assertThat(chunk).endsWith("\n"));
  }

  @Test
  void aLineLongerThanAChunkIsWrittenWhole() {
    start(16, 1000);
    String longMessage = "x".repeat(10_000);

    log.info("short");
    log.info(longMessage);
    log.info("after");

    await().atMost(Duration.ofSeconds(10)).until(() -> writes.lines().size() == 3);
    assertThat(writes.lines()).containsExactly("short", longMessage, "after");
  }

  @Test
  void stoppingWritesWhatIsStillQueued() {
    // Given a writer that lingers long enough for the lines to still be queued
    start(8192, 5_000_000);
    for (int i = 0; i < 100; i++) {
      log.info("line {}", i);
    }

    // When logging stops (shutdown, reconfiguration)
    logback.stop();

    // Then every line is out
    assertThat(writes.lines()).hasSize(100).startsWith("line 0").endsWith("line 99");
  }

  @Test
  void doesNotStartWithoutAnEncoder() {
    BatchingConsoleAppender appender = new BatchingConsoleAppender();
    appender.setContext(logback);

    appender.start();

    assertThat(appender.isStarted()).isFalse();
  }

  private void start(int queueSize, long lingerMicros) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(logback);
    encoder.setPattern("%msg%n");
    encoder.start();
    BatchingConsoleAppender appender = new BatchingConsoleAppender() {
      @Override
      protected OutputStream out() {
        return writes;
      }
    };
    appender.setName("test");
    appender.setContext(logback);
    appender.setEncoder(encoder);
    appender.setQueueSize(queueSize);
    appender.setLingerMicros(lingerMicros);
    appender.start();
    assertThat(appender.isStarted()).isTrue();
    log.addAppender(appender);
  }

  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records each write call. */
  private static final class Writes extends OutputStream {
    private final List<byte[]> chunks = new ArrayList<>();

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      ByteArrayOutputStream copy = new ByteArrayOutputStream(length);
      copy.write(bytes, offset, length);
      chunks.add(copy.toByteArray());
    }

    synchronized int count() {
      return chunks.size();
    }

    synchronized List<Integer> sizes() {
      return chunks.stream().map(chunk -> chunk.length).toList();
    }

    synchronized List<String> chunks() {
      return chunks.stream().map(chunk -> new String(chunk, StandardCharsets.UTF_8)).toList();
    }

    synchronized List<String> lines() {
      return String.join("", chunks()).lines().toList();
    }
  }
}
