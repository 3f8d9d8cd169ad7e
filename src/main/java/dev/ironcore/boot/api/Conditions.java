package dev.ironcore.boot.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * metav1.Condition lists: set by type, keeping lastTransitionTime unless the status flips, with a
 * message an API server accepts.
 */
public final class Conditions {
  /** metav1.Condition's limit on {@code message} in characters (code points): an API server refuses a longer one. */
  public static final int MAX_MESSAGE_LENGTH = 32768;

  private Conditions() {}

  /** The condition of that type, or null. */
  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    for (Condition condition : conditions) { // a loop, not a stream: this runs on every boot request
      if (type.equals(condition.getType())) {
        return condition;
      }
    }
    return null;
  }

  /** True when the list already holds exactly this status, reason and message for the type. */
  public static boolean holds(List<Condition> conditions, Condition wanted) {
    Condition current = find(conditions, wanted.getType());
    return current != null
        && Objects.equals(current.getStatus(), wanted.getStatus())
        && Objects.equals(current.getReason(), wanted.getReason())
        && Objects.equals(current.getMessage(), storable(wanted.getMessage()))
        && Objects.equals(current.getObservedGeneration(), wanted.getObservedGeneration());
  }

  /** A new list with {@code wanted} in place of the condition of its type. */
  public static List<Condition> with(List<Condition> conditions, Condition wanted, Instant now) {
    List<Condition> result = new ArrayList<>();
    Condition current = find(conditions, wanted.getType());
    String transition = current != null && Objects.equals(current.getStatus(), wanted.getStatus())
        && current.getLastTransitionTime() != null
        ? current.getLastTransitionTime()
        : now.truncatedTo(ChronoUnit.SECONDS).toString();
    if (conditions != null) {
      conditions.stream().filter(c -> !wanted.getType().equals(c.getType())).forEach(result::add);
    }
    result.add(new ConditionBuilder(wanted).withLastTransitionTime(transition)
        .withMessage(storable(wanted.getMessage())).build());
    return result;
  }

  /**
   * The message as metav1.Condition admits it: present (it is a required field, possibly empty) and
   * at most {@link #MAX_MESSAGE_LENGTH} characters, a longer one cut and ending in "…".
   */
  static String storable(String message) {
    if (message == null) {
      return "";
    }
    if (message.length() <= MAX_MESSAGE_LENGTH || message.codePointCount(0, message.length()) <= MAX_MESSAGE_LENGTH) {
      return message;
    }
    return message.substring(0, message.offsetByCodePoints(0, MAX_MESSAGE_LENGTH - 1)) + "…";
  }
}
