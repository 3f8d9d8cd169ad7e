package dev.ironcore.boot.ignition.butane;

/**
 * A Butane config that cannot be translated. Two one-line texts of at most {@value #MAX_LENGTH}
 * characters: {@link #getMessage()} may quote a short piece of the input (for the CLI, whose user
 * owns the file); {@link #summary()} names the field, line and kind of problem but never a value
 * from the input, because the service shows it in answers, status conditions and logs.
 */
public class ButaneException extends RuntimeException {
  static final int MAX_LENGTH = 300;
  /** How much of an input value a detailed message may quote. */
  static final int MAX_QUOTED = 40;
  private static final String CUT = "...";

  private final String summary;

  /** {@code message} holds nothing from the input but field names and positions. */
  public ButaneException(String message) {
    this(message, message);
  }

  /** {@code message} may quote the input; {@code summary} says the same without any of its values. */
  public ButaneException(String message, String summary) {
    super(bounded(message), null, false, false);
    this.summary = bounded(summary);
  }

  /** The message without any value from the input. */
  public String summary() {
    return summary;
  }

  /** A problem at a known place in the source: "error at {field}, line L column C: {problem}". */
  static ButaneException at(String field, Position position, String problem) {
    return at(field, position, problem, problem);
  }

  /** As {@link #at(String, Position, String)}; {@code detailedProblem} may quote the input. */
  static ButaneException at(String field, Position position, String detailedProblem, String problem) {
    StringBuilder place = new StringBuilder("error at ").append(field);
    if (position != null) {
      place.append(", ").append(position);
    }
    place.append(": ");
    return new ButaneException(place + detailedProblem, place + problem);
  }

  /** A piece of the input for a detailed message: one line, cut to {@value #MAX_QUOTED} characters. */
  static String quoted(String value) {
    return cut(oneLine(prefix(value, MAX_QUOTED + 1)), MAX_QUOTED);
  }

  private static String bounded(String message) {
    return cut(oneLine(prefix(message, 4 * MAX_LENGTH)), MAX_LENGTH);
  }

  private static String cut(String text, int max) {
    return text.length() > max ? prefix(text, max - CUT.length()) + CUT : text;
  }

  /** At most {@code max} characters, never half a surrogate pair. */
  private static String prefix(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
  }

  /**
   * Each run of blanks that holds a line break or control character becomes one space, in one pass: a
   * regex like {@code \s*\R\s*} backtracks over a long run of spaces and costs its length squared.
   */
  static String oneLine(String text) {
    StringBuilder line = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (!isBlank(text.charAt(i))) {
        line.append(text.charAt(i++));
        continue;
      }
      int runEnd = i;
      boolean breaks = false;
      while (runEnd < text.length() && isBlank(text.charAt(runEnd))) {
        breaks |= isBreak(text.charAt(runEnd++));
      }
      if (breaks) {
        line.append(' ');
      } else {
        line.append(text, i, runEnd);
      }
      i = runEnd;
    }
    return line.toString().strip();
  }

  private static boolean isBlank(char c) {
    return Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c);
  }

  private static boolean isBreak(char c) {
    return c != ' ' && c != '\t' && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029');
  }
}
