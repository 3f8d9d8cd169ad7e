package dev.ironcore.boot.reconcile;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Status decisions of the boot-config controllers, as pure functions. */
public final class BootConfigStatuses {
  private BootConfigStatuses() {}

  /**
   * The status to write so that {@code current} has {@code state} and {@code wanted}; empty when it
   * already has them (lastTransitionTime aside). Conditions of other types are kept as they are.
   */
  public static Optional<BootConfigStatus> update(BootConfigStatus current, String state, Condition wanted,
      Instant now) {
    List<Condition> conditions = current == null ? List.of() : current.getConditions();
    String currentState = current == null ? null : current.getState();
    if (Objects.equals(currentState, state) && Conditions.holds(conditions, wanted)) {
      return Optional.empty();
    }
    BootConfigStatus next = new BootConfigStatus();
    next.setState(state);
    next.setConditions(Conditions.with(conditions, wanted, now));
    return Optional.of(next);
  }
}
