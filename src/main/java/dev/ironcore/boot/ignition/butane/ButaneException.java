package dev.ironcore.boot.ignition.butane;

/** A Butane config that cannot be translated. The message is one line and names the offending field. */
public class ButaneException extends RuntimeException {

  public ButaneException(String message) {
    super(oneLine(message));
  }

  /** A problem at a known place in the source: "{field}, line L column C: {problem}". */
  static ButaneException at(String field, Position position, String problem) {
    StringBuilder message = new StringBuilder("error at ").append(field);
    if (position != null) {
      message.append(", ").append(position);
    }
    return new ButaneException(message.append(": ").append(problem).toString());
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
