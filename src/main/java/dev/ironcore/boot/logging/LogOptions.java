package dev.ironcore.boot.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.ironcore.boot.config.CommandLine.UsageException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * controller-runtime's {@code --zap-*} flags, applied to logback. Without any of them logging stays as
 * {@code logback.xml} has it. {@code --zap-devel} chooses the defaults controller-runtime gives its two
 * modes (development: console, debug, stack traces from warn; production: JSON, info, stack traces
 * from error); the other flags override single parts. Levels map to logback's: zap's verbosity
 * numbers (more detail than debug) to TRACE, {@code panic} to ERROR.
 *
 * @param devel {@code --zap-devel}, when given
 * @param encoder {@code json} or {@code console}, when given (or implied by devel)
 * @param level the root level, when given (or implied by devel)
 * @param stacktraceLevel from this level on, a logged exception keeps its stack trace
 * @param timeEncoding how {@code ts} is written (zap's names)
 */
public record LogOptions(Optional<Boolean> devel, Optional<String> encoder, Optional<Level> level,
    Optional<Level> stacktraceLevel, Optional<String> timeEncoding) {

  public static final LogOptions DEFAULT =
      new LogOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  private static final String APPENDER = "STDOUT";

  /** From the zap flags' values (flag name without dashes → value); a bad value names its flag. */
  public static LogOptions fromFlags(Map<String, String> flags) {
    Optional<Boolean> devel = Optional.ofNullable(flags.get("zap-devel")).map(Boolean::parseBoolean);
    Optional<String> encoder = Optional.ofNullable(flags.get("zap-encoder"))
        .map(value -> oneOf("zap-encoder", value, "json", "console"));
    Optional<Level> level = Optional.ofNullable(flags.get("zap-log-level")).map(LogOptions::level);
    Optional<Level> stacktrace = Optional.ofNullable(flags.get("zap-stacktrace-level"))
        .map(value -> stacktraceLevel(oneOf("zap-stacktrace-level", value, "info", "error", "panic")));
    Optional<String> time = Optional.ofNullable(flags.get("zap-time-encoding"))
        .map(value -> oneOf("zap-time-encoding", value, ZapEncoder.TIME_ENCODINGS.toArray(String[]::new)));
    return new LogOptions(devel, encoder, level, stacktrace, time);
  }

  /** True when the lines are written by {@link ZapEncoder} rather than logback.xml's pattern. */
  boolean zapFormat() {
    return devel.isPresent() || encoder.isPresent() || stacktraceLevel.isPresent() || timeEncoding.isPresent();
  }

  /** Applies the options to the running logback configuration. */
  public void apply() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    boolean development = devel.orElse(false);
    level.or(() -> devel.map(on -> on ? Level.DEBUG : Level.INFO)).ifPresent(root::setLevel);
    if (!zapFormat()) {
      return;
    }
    ZapEncoder zap = new ZapEncoder(
        encoder.orElse(development ? "console" : "json").equals("json"),
        stacktraceLevel.orElse(development ? Level.WARN : Level.ERROR),
        timeEncoding.orElse(development ? "iso8601" : "rfc3339"));
    zap.setContext(context);
    zap.start();
    for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
      Appender<ILoggingEvent> appender = appenders.next();
      if (APPENDER.equals(appender.getName()) && appender instanceof BatchingConsoleAppender console) {
        console.stop();
        console.setEncoder(zap);
        console.start();
      }
    }
  }

  private static Level level(String value) {
    return switch (value) {
      case "debug" -> Level.DEBUG;
      case "info" -> Level.INFO;
      case "warn" -> Level.WARN;
      case "error", "dpanic", "panic" -> Level.ERROR;
      default -> {
        if (value.matches("[1-9]\\d{0,2}")) {
          yield Level.TRACE;
        }
        throw new UsageException("invalid value \"" + value + "\" for flag -zap-log-level: expected debug, info,"
            + " error, panic or an integer > 0");
      }
    };
  }

  /** zap's stack trace levels: info, or error (panic logs at error here). */
  private static Level stacktraceLevel(String value) {
    return value.equals("info") ? Level.INFO : Level.ERROR;
  }

  private static String oneOf(String flag, String value, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(value)) {
        return value;
      }
    }
    throw new UsageException("invalid value \"" + value + "\" for flag -" + flag + ": expected one of "
        + String.join(", ", allowed));
  }
}
