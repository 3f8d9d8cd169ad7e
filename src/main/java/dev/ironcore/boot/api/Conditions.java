package dev.ironcore.boot.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** metav1.Condition lists: set by type, keeping lastTransitionTime unless the status flips. */
public final class Conditions {
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
        && Objects.equals(current.getMessage(), wanted.getMessage())
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
    result.add(new ConditionBuilder(wanted).withLastTransitionTime(transition).build());
    return result;
  }
}
