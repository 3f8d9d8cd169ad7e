package dev.ironcore.boot.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to stdout from one background thread, many lines per write. Logback's
 * AsyncAppender wakes its worker for every line once the worker keeps up, and its console appender
 * makes a system call per line: at tens of thousands of boot requests a second, those wake-ups and
 * writes cost more than the request itself. Here a wake-up lingers {@code lingerMicros} (default
 * 1 ms) to gather the lines logged meanwhile, and writes them in chunks of at most 4 KiB of whole
 * lines (PIPE_BUF: a pipe never interleaves a write that small with another writer's).
 *
 * <p>Nothing is dropped: when the queue is full the logging thread waits for room. Stopping (the
 * logback shutdown hook, or a reconfiguration) writes everything still queued.
 */
public class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** Largest write that a pipe keeps in one piece. */
  static final int CHUNK_BYTES = 4096;

  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 8192;
  private long lingerMicros = 1000;
  private BlockingQueue<ILoggingEvent> queue;
  private Thread writer;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public Encoder<ILoggingEvent> getEncoder() {
    return encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  public void setLingerMicros(long lingerMicros) {
    this.lingerMicros = lingerMicros;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("No encoder set for the appender named [" + name + "]");
      return;
    }
    if (queueSize < 1) {
      addError("queueSize must be at least 1");
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    writer = new Thread(this::writeUntilStopped, "log-writer-" + name);
    writer.setDaemon(true);
    super.start();
    writer.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    // the message, thread name and MDC as they are now, not when the writer gets to them
    event.prepareForDeferredProcessing();
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(event);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    writer.interrupt();
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ILoggingEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    write(rest);
  }

  private void writeUntilStopped() {
    List<ILoggingEvent> batch = new ArrayList<>();
    while (isStarted()) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break; // stop() writes what is left
      }
      // the lines logged while we linger come along in this write instead of waking us each
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(lingerMicros));
      queue.drainTo(batch);
      write(batch);
      batch.clear();
    }
  }

  /** Where lines go: stdout as it is at the time of the write. */
  protected OutputStream out() {
    return System.out;
  }

  private void write(List<ILoggingEvent> events) {
    OutputStream out = out();
    byte[] chunk = new byte[CHUNK_BYTES];
    int used = 0;
    try {
      for (ILoggingEvent event : events) {
        byte[] line = encode(event);
        if (used + line.length > CHUNK_BYTES && used > 0) {
          out.write(chunk, 0, used);
          used = 0;
        }
        if (line.length >= CHUNK_BYTES) {
          out.write(line); // a line longer than a chunk goes on its own
        } else {
          System.arraycopy(line, 0, chunk, used, line.length);
          used += line.length;
        }
      }
      if (used > 0) {
        out.write(chunk, 0, used);
      }
      out.flush();
    } catch (IOException e) {
      addError("Cannot write log lines to stdout", e);
    }
  }

  private byte[] encode(ILoggingEvent event) {
    try {
      return encoder.encode(event);
    } catch (RuntimeException e) {
      addError("Cannot encode a log event", e);
      return new byte[0];
    }
  }
}
