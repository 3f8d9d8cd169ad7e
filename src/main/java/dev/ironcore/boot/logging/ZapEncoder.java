package dev.ironcore.boot.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Log lines as controller-runtime's zap writes them, so that log pipelines built for the Go operator
 * read ours: JSON, one object per line with zap's production keys ({@code level}, {@code ts},
 * {@code logger}, {@code msg}, {@code error}, {@code stacktrace}), or zap's console form (tab-separated).
 * {@code ts} follows {@code --zap-time-encoding}. A logged exception keeps its stack trace only from
 * the stack trace level on; below it, {@code error} carries its one-line description.
 */
public final class ZapEncoder extends EncoderBase<ILoggingEvent> {
  static final List<String> TIME_ENCODINGS = List.of("epoch", "millis", "nano", "iso8601", "rfc3339", "rfc3339nano");
  private static final DateTimeFormatter ISO8601 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private final boolean json;
  private final Level stacktraceLevel;
  private final String timeEncoding;
  private final ZoneId zone = ZoneId.systemDefault();

  public ZapEncoder(boolean json, Level stacktraceLevel, String timeEncoding) {
    this.json = json;
    this.stacktraceLevel = stacktraceLevel;
    this.timeEncoding = timeEncoding;
  }

  @Override
  public byte[] headerBytes() {
    return new byte[0];
  }

  @Override
  public byte[] footerBytes() {
    return new byte[0];
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    String error = thrown == null ? null : thrown.getClassName() + ": " + thrown.getMessage();
    String stacktrace = thrown != null && event.getLevel().isGreaterOrEqual(stacktraceLevel)
        ? ThrowableProxyUtil.asString(thrown) : null;
    String level = event.getLevel().toString().toLowerCase(Locale.ROOT);
    StringBuilder line = new StringBuilder(160);
    if (json) {
      line.append("{\"level\":\"").append(level).append("\",\"ts\":");
      time(event.getInstant(), line, true);
      line.append(",\"logger\":");
      quote(event.getLoggerName(), line);
      line.append(",\"msg\":");
      quote(event.getFormattedMessage(), line);
      if (error != null) {
        line.append(",\"error\":");
        quote(error, line);
      }
      if (stacktrace != null) {
        line.append(",\"stacktrace\":");
        quote(stacktrace, line);
      }
      line.append("}\n");
    } else {
      time(event.getInstant(), line, false);
      line.append('\t').append(level.toUpperCase(Locale.ROOT)).append('\t').append(event.getLoggerName())
          .append('\t').append(event.getFormattedMessage());
      if (error != null) {
        line.append("\t{\"error\": ");
        quote(error, line);
        line.append('}');
      }
      line.append('\n');
      if (stacktrace != null) {
        line.append(stacktrace).append('\n');
      }
    }
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** zap's time encoders: numbers for epoch, millis and nano; strings (quoted in JSON) for the others. */
  private void time(Instant instant, StringBuilder line, boolean quoteStrings) {
    long nanos = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    String text = switch (timeEncoding) {
      case "epoch" -> String.format(Locale.ROOT, "%d.%09d", instant.getEpochSecond(), instant.getNano());
      case "millis" -> String.format(Locale.ROOT, "%d.%06d", nanos / 1_000_000, nanos % 1_000_000);
      case "nano" -> Long.toString(nanos);
      case "iso8601" -> ISO8601.format(OffsetDateTime.ofInstant(instant, zone));
      case "rfc3339nano" -> rfc3339Nano(OffsetDateTime.ofInstant(instant, zone));
      default -> RFC3339.format(OffsetDateTime.ofInstant(instant, zone));
    };
    boolean number = timeEncoding.equals("epoch") || timeEncoding.equals("millis") || timeEncoding.equals("nano");
    if (quoteStrings && !number) {
      quote(text, line);
    } else {
      line.append(text);
    }
  }

  /** Go's RFC3339Nano: the fraction without trailing zeros, none at all when it is zero. */
  private static String rfc3339Nano(OffsetDateTime time) {
    String seconds = RFC3339.format(time);
    int offsetAt = seconds.length() - (seconds.endsWith("Z") ? 1 : 6);
    String fraction = String.format(Locale.ROOT, "%09d", time.getNano()).replaceAll("0+$", "");
    return seconds.substring(0, offsetAt) + (fraction.isEmpty() ? "" : "." + fraction) + seconds.substring(offsetAt);
  }

  private static void quote(String value, StringBuilder line) {
    line.append('"');
    if (value != null) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> line.append("\\\"");
          case '\\' -> line.append("\\\\");
          case '\n' -> line.append("\\n");
          case '\r' -> line.append("\\r");
          case '\t' -> line.append("\\t");
          default -> {
            if (c < 0x20) {
              line.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
              line.append(c);
            }
          }
        }
      }
    }
    line.append('"');
  }
}
