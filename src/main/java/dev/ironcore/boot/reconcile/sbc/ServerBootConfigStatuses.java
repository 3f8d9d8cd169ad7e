package dev.ironcore.boot.reconcile.sbc;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.BootConfigState;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The SBC's state, decided once per reconcile from what its image offers (COMPAT §9, OURS): each
 * function returns the status to write, or empty when the SBC already has it.
 */
public final class ServerBootConfigStatuses {
  public static final String IMAGE_VALIDATION = "ImageValidation";
  public static final String VALIDATION_FAILED = "ValidationFailed";

  private ServerBootConfigStatuses() {}

  /** The Server is not there (yet): Pending, conditions untouched. */
  public static Optional<BootConfigStatus> pending(BootConfigStatus current) {
    return changed(current, BootConfigState.PENDING, conditionsOf(current));
  }

  /** The image cannot boot this machine: Error with {@code ImageValidation} False saying why. */
  public static Optional<BootConfigStatus> invalidImage(BootConfigStatus current, String message, Long generation,
      Instant now) {
    Condition condition = new ConditionBuilder().withType(IMAGE_VALIDATION).withStatus("False")
        .withReason(VALIDATION_FAILED).withMessage(message).withObservedGeneration(generation).build();
    return changed(current, BootConfigState.ERROR, Conditions.with(conditionsOf(current), condition, now));
  }

  /**
   * The image validated and these are the statuses of its children (null for one not reconciled
   * yet): Ready when all are Ready, Error when one is, else Pending. The children's conditions are
   * mirrored; where two children have a condition of one type, the one that is not True wins.
   * {@code ImageValidation} goes: the image is valid, a stale failure would only mislead.
   */
  public static Optional<BootConfigStatus> fromChildren(BootConfigStatus current, List<BootConfigStatus> children) {
    Map<String, Condition> mirrored = new LinkedHashMap<>();
    children.stream().filter(Objects::nonNull).flatMap(child -> child.getConditions().stream())
        .forEach(condition -> mirrored.merge(condition.getType(), condition, ServerBootConfigStatuses::worse));
    List<Condition> conditions = new ArrayList<>();
    conditionsOf(current).stream()
        .filter(c -> !IMAGE_VALIDATION.equals(c.getType()) && !mirrored.containsKey(c.getType()))
        .forEach(conditions::add);
    conditions.addAll(mirrored.values());
    return changed(current, stateOf(children), conditions);
  }

  static String stateOf(List<BootConfigStatus> children) {
    List<String> states = children.stream().map(child -> child == null ? null : child.getState()).toList();
    if (!states.isEmpty() && states.stream().allMatch(BootConfigState.READY::equals)) {
      return BootConfigState.READY;
    }
    return states.contains(BootConfigState.ERROR) ? BootConfigState.ERROR : BootConfigState.PENDING;
  }

  private static Condition worse(Condition first, Condition second) {
    return "True".equals(first.getStatus()) ? second : first;
  }

  private static Optional<BootConfigStatus> changed(BootConfigStatus current, String state, List<Condition> conditions) {
    BootConfigStatus next = new BootConfigStatus();
    next.setState(state);
    next.setConditions(conditions);
    return next.equals(current) ? Optional.empty() : Optional.of(next);
  }

  private static List<Condition> conditionsOf(BootConfigStatus status) {
    return status == null ? List.of() : status.getConditions();
  }
}
